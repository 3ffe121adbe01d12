/// Where records go: how many shards each time bucket is cut into, and
/// which partitions this node keeps. A single node keeps everything in one
/// shard; a cluster node answers from the topology in force for the bucket.
public protocol PartitionRouting: Sendable {
    /// Shards of the bucket starting at `bucketStart` (nanoseconds).
    func shards(bucketStart: Int64) -> Int
    /// Whether this node is a replica of `key`.
    func keeps(_ key: PartitionKey) -> Bool
    /// Whether this node is the first replica of `key` (its lead): the one
    /// replica that mines the partition's log lines into patterns, so that
    /// a cluster counts every line once.
    func leads(_ key: PartitionKey) -> Bool
}

extension PartitionRouting {
    /// A node on its own leads what it keeps.
    public func leads(_ key: PartitionKey) -> Bool { keeps(key) }
}

/// One shard per bucket, every partition kept: a node on its own.
public struct SingleNodeRouting: PartitionRouting {
    public init() {}
    public func shards(bucketStart: Int64) -> Int { 1 }
    public func keeps(_ key: PartitionKey) -> Bool { true }
}
