/// What one agent of a group reported about its central configuration.
public struct FleetConfigAgent: Codable, Sendable, Equatable {
    public var agent: String
    public var host: String
    /// The version this agent should run (newest, or stable outside a canary); 0: none.
    public var target: UInt64
    /// The version it runs (0: its local file only).
    public var applied: UInt64
    /// `current` (runs its target), `pending` (not yet), `failed` (its
    /// target failed there; it runs `applied`, its last good version).
    public var state: String
    /// Why the version named in `failedVersion` failed.
    public var error: String?
    public var failedVersion: UInt64?
    /// RFC 3339 time of the report, and the node that received it.
    public var reportedAt: String
    public var node: String

    enum CodingKeys: String, CodingKey {
        case agent, host, target, applied, state, error
        case failedVersion = "failed_version"
        case reportedAt = "reported_at"
        case node
    }

    public init(agent: String, host: String, target: UInt64, applied: UInt64, state: String, error: String?, failedVersion: UInt64?,
                reportedAt: String, node: String) {
        self.agent = agent
        self.host = host
        self.target = target
        self.applied = applied
        self.state = state
        self.error = error
        self.failedVersion = failedVersion
        self.reportedAt = reportedAt
        self.node = node
    }
}
