/// One of the set-ups `trib bench cluster` compares.
public enum ClusterBenchmarkSetup: String, Sendable, CaseIterable {
    /// Three nodes, replication factor 2, write quorum 2.
    case cluster
    /// One node, replication factor 1, through the same cluster code.
    case single
}
