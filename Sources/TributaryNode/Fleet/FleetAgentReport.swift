/// What an agent reported about its central configuration (CONFIG_STATUS),
/// as stored in the cluster beside the releases, so that any node can say
/// who runs which version.
struct FleetAgentReport: Codable, Sendable, Equatable {
    var agent: String
    var host: String
    var group: String
    /// The version the report is about, and the one the agent runs.
    var version: UInt64
    var applied: UInt64
    /// Empty: `version` was applied.
    var error: String
    var at: Int64
    var node: String

    /// Whether the two say the same (apart from when and where).
    func sameState(as other: FleetAgentReport) -> Bool {
        (agent, host, group, version, applied, error) == (other.agent, other.host, other.group, other.version, other.applied, other.error)
    }
}
