import TributaryQuery
import TributaryStorage

/// Why a topology change was refused.
public struct TopologyChangeError: Error, CustomStringConvertible {
    public let description: String
}

extension Topology {
    /// The first bucket that has not started at `now`: the earliest a new
    /// epoch may apply from, so that no data already written moves. Callers
    /// pass now plus how far ahead records may be timestamped.
    public func nextBucket(after now: Int64) -> Int64 {
        PartitionKey.bucketStart(of: now, span: partitionSpan) + partitionSpan
    }

    /// Adds `member` to the cluster from bucket `from` (default: the next
    /// bucket after `now`): a new epoch with the last epoch's members and
    /// the new one, one shard per member. Nothing already written moves.
    public func adding(_ member: ClusterMember, now: Int64, from: Int64? = nil, shards: Int? = nil) throws(TopologyChangeError) -> Topology {
        guard nodes[member.id] == nil else {
            throw TopologyChangeError(description: "node \(member.id) is already in the topology")
        }
        var changed = self
        changed.nodes[member.id] = member
        let members = epochs.last!.members + [member.id]
        try changed.appendEpoch(members: members, now: now, from: from, shards: shards)
        return changed
    }

    /// Takes node `id` out: it is placed nowhere from now on (its partitions'
    /// next-ranked nodes become replicas, and repair copies the data to
    /// them), and a new epoch without it starts at the next bucket.
    public func removing(_ id: String, now: Int64, from: Int64? = nil) throws(TopologyChangeError) -> Topology {
        guard nodes[id] != nil else { throw TopologyChangeError(description: "node \(id) is not in the topology") }
        guard !removed.contains(id) else { throw TopologyChangeError(description: "node \(id) is already removed") }
        var changed = self
        changed.removed.insert(id)
        for (index, epoch) in changed.epochs.enumerated() {
            let left = epoch.members.filter { !changed.removed.contains($0) }.count
            guard left >= replicationFactor else {
                let when = epoch.from == Int64.min ? "the first epoch" : "the epoch from \(QueryTime.format(epoch.from))"
                throw TopologyChangeError(description: "removing \(id) leaves \(left) nodes in \(when) (epochs[\(index)]), fewer than replication_factor \(replicationFactor): add a node first")
            }
        }
        try changed.appendEpoch(members: epochs.last!.members.filter { $0 != id }, now: now, from: from, shards: nil)
        return changed
    }

    private mutating func appendEpoch(members: [String], now: Int64, from: Int64?, shards: Int?) throws(TopologyChangeError) {
        let earliest = nextBucket(after: now)
        let start = from ?? max(earliest, epochs.last!.from == Int64.min ? earliest : epochs.last!.from + partitionSpan)
        guard start >= earliest else {
            throw TopologyChangeError(description: "an epoch from \(QueryTime.format(start)) would change buckets that have begun; the earliest is \(QueryTime.format(earliest))")
        }
        guard start % partitionSpan == 0 else {
            throw TopologyChangeError(description: "\(QueryTime.format(start)) is not the start of a bucket (a multiple of partition_span)")
        }
        guard start > epochs.last!.from else {
            throw TopologyChangeError(description: "the last epoch starts at \(QueryTime.format(epochs.last!.from)); a new one must start later")
        }
        epochs.append(TopologyEpoch(from: start, members: members, shards: shards ?? Self.defaultShards(members: members.count)))
    }
}
