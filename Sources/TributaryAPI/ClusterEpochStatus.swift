/// One topology epoch in `/api/v1/cluster`: from which bucket on (`null`:
/// the beginning) which nodes hold how many shards.
public struct ClusterEpochStatus: Codable, Sendable, Equatable {
    /// RFC 3339, or nil (JSON `null`) for the first epoch.
    public var from: String?
    public var nodes: [String]
    public var shards: Int

    enum CodingKeys: String, CodingKey {
        case from, nodes, shards
    }

    public init(from: String?, nodes: [String], shards: Int) {
        self.from = from
        self.nodes = nodes
        self.shards = shards
    }

    /// Writes `from` as `null` rather than leaving it out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(shards, forKey: .shards)
    }
}
