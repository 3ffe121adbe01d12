import Synchronization
import TributaryCluster
import TributaryConfig
import TributaryStorage

/// The topology this node runs, replaceable at run time (SIGHUP re-reads
/// the file). Also the node's `PartitionRouting`: shards come from the
/// bucket's epoch, and the node keeps the partitions it is a replica of.
public final class TopologyStore: PartitionRouting, Sendable {
    public let nodeID: String
    public let path: String
    /// The topology and its hash (computed once: it renders the whole file).
    private let state: Mutex<(topology: Topology, hash: String)>

    public init(nodeID: String, path: String, topology: Topology) {
        self.nodeID = nodeID
        self.path = path
        self.state = Mutex((topology, topology.hash))
    }

    public var current: Topology { state.withLock { $0.topology } }

    public var hash: String { state.withLock { $0.hash } }

    /// Both at once, so a write is planned and labelled with one topology.
    public var snapshot: (topology: Topology, hash: String) { state.withLock { $0 } }

    /// Re-reads the file. Returns the new topology if it changed; throws
    /// (keeping the current one) if it cannot be read, no longer lists this
    /// node, or would re-cut data this node already holds: a different
    /// partition span, or another shard count for a bucket of `held`
    /// (records written there would no longer be found).
    @discardableResult
    public func reload(held: [PartitionKey] = []) throws -> Topology? {
        let topology = try Topology.load(path: path)
        guard topology.nodes[nodeID] != nil else {
            throw ConfigError(file: path, path: "nodes", line: nil,
                              message: "does not list this node (\(nodeID)); keeping the topology in use")
        }
        let current = self.current
        if topology.partitionSpan != current.partitionSpan {
            throw ConfigError(file: path, path: "partition_span", line: nil,
                              message: "changed from \(current.partitionSpan / 1_000_000_000)s to \(topology.partitionSpan / 1_000_000_000)s, which would re-cut every bucket already written; keeping the topology in use")
        }
        if let clash = held.first(where: { topology.shards(bucketStart: $0.start) != $0.shards }) {
            throw ConfigError(file: path, path: "epochs", line: nil,
                              message: "would cut bucket \(clash.bucketName), which this node already holds in \(clash.shards) shards, into \(topology.shards(bucketStart: clash.start)); an epoch may only start at a bucket no record was written to (trib cluster add-node leaves max_record_future of lead). Keeping the topology in use")
        }
        let hash = topology.hash
        return state.withLock { current in
            guard current.topology != topology else { return nil }
            current = (topology, hash)
            return topology
        }
    }

    public func shards(bucketStart: Int64) -> Int {
        state.withLock { $0.topology.shards(bucketStart: bucketStart) }
    }

    public func keeps(_ key: PartitionKey) -> Bool {
        state.withLock { $0.topology.replicas(of: key).contains(nodeID) }
    }

    public func leads(_ key: PartitionKey) -> Bool {
        state.withLock { $0.topology.replicas(of: key).first == nodeID }
    }
}
