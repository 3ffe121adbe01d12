/// One node in `/api/v1/cluster`, as seen from the node that answered.
/// Absent values are JSON `null`, never left out.
public struct ClusterNodeStatus: Codable, Sendable, Equatable {
    public var id: String
    /// This is the node that answered.
    public var isSelf: Bool
    public var up: Bool
    public var removed: Bool
    public var peer: String
    public var agent: String?
    public var http: String?
    public var zone: String?
    /// The topology hash the node reported (nil: not heard from).
    public var topologyHash: String?
    /// The node runs another topology: nothing is replicated with it.
    public var topologyMismatch: Bool
    /// The node has other tenants, tokens or roles.
    public var credentialsDiffer: Bool
    /// Why the node is down, in plain words.
    public var error: String?
    public var hintsPending: Int
    public var hintBytes: Int

    enum CodingKeys: String, CodingKey {
        case id
        case isSelf = "self"
        case up, removed, peer, agent, http, zone
        case topologyHash = "topology_hash"
        case topologyMismatch = "topology_mismatch"
        case credentialsDiffer = "credentials_differ"
        case error
        case hintsPending = "hints_pending"
        case hintBytes = "hint_bytes"
    }

    public init(id: String, isSelf: Bool, up: Bool, removed: Bool, peer: String, agent: String?, http: String?, zone: String?,
                topologyHash: String?, topologyMismatch: Bool, credentialsDiffer: Bool, error: String?, hintsPending: Int, hintBytes: Int) {
        self.id = id
        self.isSelf = isSelf
        self.up = up
        self.removed = removed
        self.peer = peer
        self.agent = agent
        self.http = http
        self.zone = zone
        self.topologyHash = topologyHash
        self.topologyMismatch = topologyMismatch
        self.credentialsDiffer = credentialsDiffer
        self.error = error
        self.hintsPending = hintsPending
        self.hintBytes = hintBytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(isSelf, forKey: .isSelf)
        try container.encode(up, forKey: .up)
        try container.encode(removed, forKey: .removed)
        try container.encode(peer, forKey: .peer)
        try container.encode(agent, forKey: .agent)
        try container.encode(http, forKey: .http)
        try container.encode(zone, forKey: .zone)
        try container.encode(topologyHash, forKey: .topologyHash)
        try container.encode(topologyMismatch, forKey: .topologyMismatch)
        try container.encode(credentialsDiffer, forKey: .credentialsDiffer)
        try container.encode(error, forKey: .error)
        try container.encode(hintsPending, forKey: .hintsPending)
        try container.encode(hintBytes, forKey: .hintBytes)
    }
}
