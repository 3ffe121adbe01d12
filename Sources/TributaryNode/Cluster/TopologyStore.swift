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
    /// (keeping the current one) if it cannot be read or no longer lists
    /// this node.
    @discardableResult
    public func reload() throws -> Topology? {
        let topology = try Topology.load(path: path)
        guard topology.nodes[nodeID] != nil else {
            throw ConfigError(file: path, path: "nodes", line: nil,
                              message: "does not list this node (\(nodeID)); keeping the topology in use")
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
}
