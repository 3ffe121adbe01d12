/// One node of the cluster as the topology lists it: its name, where its
/// peers, agents and HTTP clients reach it, and its failure zone.
public struct ClusterMember: Sendable, Hashable {
    /// The node's `node_id`; also the common name its peer certificate must carry.
    public var id: String
    /// `host:port` of its node-to-node listener (`cluster.peer_listen`).
    public var peer: String
    /// `host:port` agents connect to (informational: inventory, status).
    public var agent: String?
    /// `host:port` of its HTTP API (status pages link to it).
    public var http: String?
    /// Replicas of a partition are spread over distinct zones when there are enough.
    public var zone: String?

    public init(id: String, peer: String, agent: String? = nil, http: String? = nil, zone: String? = nil) {
        self.id = id
        self.peer = peer
        self.agent = agent
        self.http = http
        self.zone = zone
    }
}
