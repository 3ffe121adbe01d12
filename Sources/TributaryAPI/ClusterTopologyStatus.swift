/// The topology part of `/api/v1/cluster`.
public struct ClusterTopologyStatus: Codable, Sendable, Equatable {
    public var hash: String
    public var replicationFactor: Int
    public var writeQuorum: Int
    public var partitionSpanSeconds: Int64
    public var epochs: [ClusterEpochStatus]
    /// Ids of nodes removed from the topology, sorted.
    public var removed: [String]

    enum CodingKeys: String, CodingKey {
        case hash
        case replicationFactor = "replication_factor"
        case writeQuorum = "write_quorum"
        case partitionSpanSeconds = "partition_span_seconds"
        case epochs
        case removed
    }

    public init(hash: String, replicationFactor: Int, writeQuorum: Int, partitionSpanSeconds: Int64, epochs: [ClusterEpochStatus],
                removed: [String]) {
        self.hash = hash
        self.replicationFactor = replicationFactor
        self.writeQuorum = writeQuorum
        self.partitionSpanSeconds = partitionSpanSeconds
        self.epochs = epochs
        self.removed = removed
    }
}
