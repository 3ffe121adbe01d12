import TributaryAPI

/// One push, promote or rollback of a group's central configuration, as
/// stored in the cluster (a change event of the `fleet.config` tenant,
/// `FleetConfigStore`). Each release carries the bodies it serves — its
/// `version` and the `stable` one — so the newest release alone says what
/// every agent of the group runs, and re-writing it (before retention
/// would delete it) keeps the group alive.
struct FleetConfigRelease: Codable, Sendable, Equatable {
    var group: String
    /// Counts the group's releases; the highest one is in force.
    var revision: UInt64
    var version: UInt64
    var body: String
    /// Percentage of agents that get `version` (`FleetCanary`).
    var canary: Int
    /// Served to agents outside the canary (nil: nothing; their local file).
    var stable: UInt64?
    var stableBody: String?
    /// Nanoseconds since the Unix epoch of the push, and the node that took it.
    var at: Int64
    var node: String
    /// When `version` was first pushed (kept across promotes and re-writes).
    var versionPushedAt: Int64
    var versionPushedVia: String

    enum CodingKeys: String, CodingKey {
        case group, revision, version, body, canary, stable
        case stableBody = "stable_body"
        case at, node
        case versionPushedAt = "version_pushed_at"
        case versionPushedVia = "version_pushed_via"
    }

    /// The body of the version `agentID` should run, and that version.
    func target(for agentID: String) -> (version: UInt64, body: String)? {
        if canary >= 100 || FleetCanary.includes(agentID, percent: canary) { return (version, body) }
        guard let stable, let stableBody else { return nil }
        return (stable, stableBody)
    }

    /// Whether `self` supersedes `other` (higher revision; ties by time, then node).
    func supersedes(_ other: FleetConfigRelease) -> Bool {
        (revision, at, node) > (other.revision, other.at, other.node)
    }
}
