/// A run of consecutive batch sequences of an agent that a node answered
/// (stored, duplicate, or refused for good), in `GET /api/v1/fleet`: the
/// holes between runs, merged over every node, are sequence gaps.
public struct FleetSequenceRun: Codable, Sendable, Equatable {
    public var from: UInt64
    public var to: UInt64
    /// RFC 3339: when the first batch of the run arrived.
    public var firstSeen: String

    public init(from: UInt64, to: UInt64, firstSeen: String) {
        self.from = from
        self.to = to
        self.firstSeen = firstSeen
    }

    enum CodingKeys: String, CodingKey {
        case from, to
        case firstSeen = "first_seen"
    }
}
