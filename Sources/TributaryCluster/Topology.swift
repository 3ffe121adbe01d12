import TributaryStorage

/// The cluster's shape: its nodes, the epochs that say which nodes hold the
/// buckets of which period, how many copies each partition has and how
/// many must be durable before an agent is acknowledged.
///
/// Every node reads the same topology file; `hash` identifies its content,
/// and nodes with different hashes refuse to replicate to each other, so no
/// write is ever routed by a stale topology.
///
/// Placement: a partition `(tenant, bucket, shard)` lives on the
/// `replicationFactor` members of the bucket's epoch that score highest by
/// rendezvous hashing of (node, partition), taking nodes of distinct zones
/// first. Removed nodes are skipped in every epoch, so their partitions'
/// next-ranked nodes take over (repair copies the data there).
public struct Topology: Sendable, Equatable {
    public var replicationFactor: Int
    public var writeQuorum: Int
    /// Width of a time bucket in nanoseconds; every node must use it.
    public var partitionSpan: Int64
    /// Every node ever listed, by id.
    public var nodes: [String: ClusterMember]
    /// Sorted by `from`; the first starts at `Int64.min`.
    public var epochs: [TopologyEpoch]
    /// Nodes taken out of the cluster: placed nowhere.
    public var removed: Set<String>

    public init(replicationFactor: Int, writeQuorum: Int? = nil, partitionSpan: Int64, nodes: [ClusterMember],
                epochs: [TopologyEpoch], removed: Set<String> = []) {
        self.replicationFactor = replicationFactor
        self.writeQuorum = writeQuorum ?? Self.majority(of: replicationFactor)
        self.partitionSpan = partitionSpan
        self.nodes = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.epochs = epochs.sorted { $0.from < $1.from }
        self.removed = removed
    }

    /// The default write quorum: a majority of the replicas.
    public static func majority(of replicas: Int) -> Int { replicas / 2 + 1 }

    /// The default shard count for an epoch of `members` nodes: one per node,
    /// so every node coordinates and stores a share of each bucket.
    public static func defaultShards(members: Int) -> Int { max(1, members) }

    /// The epoch in force for the bucket starting at `bucketStart`.
    public func epoch(at bucketStart: Int64) -> TopologyEpoch {
        var chosen = epochs[0]
        for epoch in epochs where epoch.from <= bucketStart { chosen = epoch }
        return chosen
    }

    public func shards(bucketStart: Int64) -> Int { epoch(at: bucketStart).shards }

    /// The partition of a record of stream `streamID` at `timestamp`.
    public func partition(tenant: String, timestamp: Int64, streamID: UInt64) -> PartitionKey {
        let start = PartitionKey.bucketStart(of: timestamp, span: partitionSpan)
        return PartitionKey(tenant: tenant, containing: timestamp, span: partitionSpan, streamID: streamID, shards: shards(bucketStart: start))
    }

    /// The replicas of `key`, best first: where writes go and reads ask.
    public func replicas(of key: PartitionKey) -> [String] {
        let candidates = epoch(at: key.start).members.filter { !removed.contains($0) }
        let ranked = candidates.map { ($0, RendezvousHash.score(node: $0, partition: key)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map(\.0)
        var chosen: [String] = []
        var zones: Set<String> = []
        for node in ranked where chosen.count < replicationFactor {
            let zone = nodes[node]?.zone ?? node
            if zones.insert(zone).inserted { chosen.append(node) }
        }
        for node in ranked where chosen.count < replicationFactor && !chosen.contains(node) {
            chosen.append(node)
        }
        return chosen
    }

    /// Every node placement may use (listed in some epoch and not removed).
    public var activeMembers: [String] {
        Array(Set(epochs.flatMap(\.members)).subtracting(removed)).sorted()
    }

    /// The other nodes this one talks to.
    public func peers(of node: String) -> [ClusterMember] {
        activeMembers.filter { $0 != node }.compactMap { nodes[$0] }
    }

    /// The partitions (every shard) of `tenant`'s buckets overlapping `[start, end)`.
    public func partitions(tenant: String, start: Int64, end: Int64) -> [PartitionKey] {
        guard start < end else { return [] }
        var keys: [PartitionKey] = []
        var bucket = PartitionKey.bucketStart(of: start, span: partitionSpan)
        while bucket < end {
            let shards = shards(bucketStart: bucket)
            for shard in 0..<shards {
                keys.append(PartitionKey(tenant: tenant, start: bucket, span: partitionSpan, shard: shard, shards: shards))
            }
            bucket += partitionSpan
        }
        return keys
    }
}
