import TributaryCluster
import TributaryStorage

/// One topology as a `PartitionRouting` (shards per bucket), for cutting a
/// batch into parts with the topology a write was planned with.
struct TopologyRouting: PartitionRouting {
    let topology: Topology

    func shards(bucketStart: Int64) -> Int { topology.shards(bucketStart: bucketStart) }
    func keeps(_ key: PartitionKey) -> Bool { true }
}
