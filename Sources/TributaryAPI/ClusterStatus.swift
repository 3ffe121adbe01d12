/// `GET /api/v1/cluster`: one node's view of the cluster: the topology,
/// each node as seen from there, repair, and every partition any reachable
/// node holds with its replicas and each copy's digest.
public struct ClusterStatus: Codable, Sendable, Equatable {
    /// The node that answered.
    public var node: String
    public var topology: ClusterTopologyStatus
    /// Every node of the topology, sorted by id.
    public var nodes: [ClusterNodeStatus]
    public var repair: ClusterRepairStatus
    /// Sorted by partition.
    public var partitions: [ClusterPartitionStatus]

    public init(node: String, topology: ClusterTopologyStatus, nodes: [ClusterNodeStatus], repair: ClusterRepairStatus,
                partitions: [ClusterPartitionStatus]) {
        self.node = node
        self.topology = topology
        self.nodes = nodes
        self.repair = repair
        self.partitions = partitions
    }
}
