/// `GET /api/v1/fleet/config/{group}`: a group's versions, its rollout
/// and what each agent runs. Also the answer to a push, promote or rollback.
public struct FleetConfigGroupStatus: Codable, Sendable, Equatable {
    public var group: String
    /// The newest version, served to the canary (everyone at 100 %).
    public var version: UInt64
    /// Percentage of agents (by `FleetCanary`) that get `version`.
    public var canary: Int
    /// The version served outside the canary; nil: none (they run their local file).
    public var stable: UInt64?
    /// Counts every push, promote and rollback of the group.
    public var revision: UInt64
    public var versions: [FleetConfigVersion]
    public var agents: [FleetConfigAgent]

    public init(group: String, version: UInt64, canary: Int, stable: UInt64?, revision: UInt64, versions: [FleetConfigVersion],
                agents: [FleetConfigAgent]) {
        self.group = group
        self.version = version
        self.canary = canary
        self.stable = stable
        self.revision = revision
        self.versions = versions
        self.agents = agents
    }
}
