import Synchronization

/// Counts of the cluster's work since the node started, for `/metrics`.
final class ClusterCounters: Sendable {
    enum Name: String, CaseIterable, Sendable {
        case replicatedBatches = "tributary_cluster_replicated_batches_total"
        case replicaFailures = "tributary_cluster_replica_failures_total"
        case quorumFailures = "tributary_cluster_quorum_failures_total"
        case hintsWritten = "tributary_cluster_hints_written_total"
        case hintsReplayed = "tributary_cluster_hints_replayed_total"
        case hintsDropped = "tributary_cluster_hints_dropped_total"
        case topologyRefusals = "tributary_cluster_topology_refusals_total"
        case partialQueries = "tributary_cluster_partial_queries_total"
        case repairRuns = "tributary_cluster_repair_runs_total"
        case repairedPartitions = "tributary_cluster_repaired_partitions_total"
        case repairedRecords = "tributary_cluster_repaired_records_total"
        case repairFailures = "tributary_cluster_repair_failures_total"
    }

    private let values = Mutex<[Name: Int]>([:])

    func add(_ name: Name, _ amount: Int = 1) {
        values.withLock { $0[name, default: 0] += amount }
    }

    func value(_ name: Name) -> Int {
        values.withLock { $0[name] ?? 0 }
    }
}
