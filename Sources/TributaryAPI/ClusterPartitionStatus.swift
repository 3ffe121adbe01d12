/// One partition in `/api/v1/cluster`: where the topology places it and
/// which nodes hold a copy.
public struct ClusterPartitionStatus: Codable, Sendable, Equatable {
    public var tenant: String
    /// The partition's directory name.
    public var name: String
    public var start: String
    public var end: String
    public var shard: Int
    public var shards: Int
    /// The nodes the topology places it on.
    public var replicas: [String]
    /// The copies reachable nodes hold, sorted by node.
    public var copies: [PartitionCopyStatus]

    public init(tenant: String, name: String, start: String, end: String, shard: Int, shards: Int, replicas: [String],
                copies: [PartitionCopyStatus]) {
        self.tenant = tenant
        self.name = name
        self.start = start
        self.end = end
        self.shard = shard
        self.shards = shards
        self.replicas = replicas
        self.copies = copies
    }
}
