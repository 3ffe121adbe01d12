import Foundation
import Logging
import TributaryAgent
import TributaryAPI
import TributaryModel
import TributaryOpenSSLSupport
import TributaryWire

/// Central agent configuration on a node (docs/fleet-config.md): takes
/// pushes, promotes and rollbacks from the HTTP API, answers agents'
/// CONFIG_REQUESTs, records their CONFIG_STATUS reports and tells the
/// agents connected here (CONFIG_CHANGED) when their group changes.
///
/// The releases and reports live in the cluster as change events of the
/// internal tenant `fleet.config` (`FleetConfigStore`), written like data
/// (write-ahead log; replicas, write quorum and hints in a cluster), so a
/// push survives the loss of a node and every node sees it: each node
/// reads them back every `pollInterval` and folds them here.
public actor FleetConfigService {
    let nodeID: String
    private let storage: FleetConfigStore
    private let logger: Logger
    static let pollInterval = Duration.seconds(2)
    /// Largest body a push may carry (CONFIG carries at most 1 MiB; a
    /// release holds up to two bodies, JSON-escaped).
    static let maxBodyBytes = 256 << 10
    /// Versions kept in memory per group (for `status`, `show` and rollback).
    static let maxVersionsKept = 32

    /// The newest release of each group.
    private var releases: [String: FleetConfigRelease] = [:]
    /// Every version seen (for `status` and `show`): group → version → its release.
    private var versions: [String: [UInt64: FleetConfigRelease]] = [:]
    /// The newest report of each agent.
    private var reports: [String: FleetAgentReport] = [:]
    /// Agents connected here, by connection: their group and how to reach them.
    private var subscribers: [Int: (group: String, send: @Sendable (Frame) -> Void)] = [:]
    /// When the last full read (the whole window) succeeded; between full
    /// reads, each poll reads the last `recentWindow` only.
    private var lastFullRead: ContinuousClock.Instant?
    static let fullReadInterval = Duration.seconds(600)
    static let recentWindow: Int64 = 300 * 1_000_000_000

    init(nodeID: String, storage: FleetConfigStore, logger: Logger) {
        self.nodeID = nodeID
        self.storage = storage
        self.logger = logger
    }

    // MARK: Agents

    /// The CONFIG answering `request` from `agentID`; the connection
    /// (`connection`, `send`) hears of later changes of the group.
    func offer(_ request: ConfigRequest, agentID: String, connection: Int, send: @escaping @Sendable (Frame) -> Void) -> ConfigOffer {
        subscribers[connection] = (request.group, send)
        guard let release = releases[request.group], let target = release.target(for: agentID) else {
            return ConfigOffer(group: request.group, version: 0, state: .none)
        }
        if target.version == request.version {
            return ConfigOffer(group: request.group, version: target.version, state: .unchanged)
        }
        return ConfigOffer(group: request.group, version: target.version, state: .body, body: target.body)
    }

    func disconnected(_ connection: Int) {
        subscribers[connection] = nil
    }

    /// A CONFIG_STATUS: stored when it says something new about the agent.
    func report(_ status: ConfigStatus, agentID: String, host: String) async {
        let report = FleetAgentReport(agent: agentID, host: host, group: status.group, version: status.version, applied: status.applied,
                                      error: status.error, at: Self.now(), node: nodeID)
        if let known = reports[agentID], known.sameState(as: report) { return }
        reports[agentID] = report
        if !status.error.isEmpty {
            logger.warning("agent \(agentID) (\(host)): central configuration \(status.group) v\(status.version) failed: \(status.error); it runs v\(status.applied)")
        }
        do {
            try await storage.write(report)
        } catch {
            logger.error("central configuration: the report of agent \(agentID) was not stored (\(error)); it is shown by this node only")
        }
    }

    // MARK: Operators

    /// Stores `body` as the group's next version, for `canary` % of its agents.
    func push(group: String, body: String, canary: Int) async throws(FleetConfigRefusal) -> FleetConfigGroupStatus {
        try Self.check(group: group, canary: canary)
        guard body.utf8.count <= Self.maxBodyBytes else {
            throw .badRequest("the configuration is \(body.utf8.count) bytes, over the limit of \(Self.maxBodyBytes); split large lists into files the agents read")
        }
        do {
            _ = try CentralConfiguration.validate(body: body, group: group)
        } catch {
            throw .badRequest("refused: \(error)")
        }
        await refresh()
        let head = releases[group]
        let version = (versions[group]?.keys.max() ?? 0) + 1
        let now = Self.now()
        // Outside the canary, agents keep what everyone ran before: the
        // previous version if it had reached everyone, else its stable one.
        var stable: (UInt64, String)?
        if let head {
            if head.canary >= 100 {
                stable = (head.version, head.body)
            } else if let version = head.stable, let body = head.stableBody {
                stable = (version, body)
            }
        }
        let release = FleetConfigRelease(group: group, revision: (head?.revision ?? 0) + 1, version: version, body: body, canary: canary,
                                         stable: stable?.0, stableBody: stable?.1, at: now, node: nodeID, versionPushedAt: now,
                                         versionPushedVia: nodeID)
        try await publish(release)
        logger.notice("central configuration \(group): version \(version) pushed for \(canary)% of its agents")
        return status(group: group)
    }

    /// Serves the newest version to `canary` % (100: everyone).
    func promote(group: String, canary: Int) async throws(FleetConfigRefusal) -> FleetConfigGroupStatus {
        try Self.check(group: group, canary: canary)
        await refresh()
        guard var release = releases[group] else { throw .notFound("group \(group) has no central configuration; push one first") }
        release.revision += 1
        release.canary = canary
        release.at = Self.now()
        release.node = nodeID
        try await publish(release)
        logger.notice("central configuration \(group): version \(release.version) now for \(canary)% of its agents")
        return status(group: group)
    }

    /// Every agent of the group goes back to the version that ran before
    /// the newest: the stable one of a canary, else the newest earlier
    /// version that had reached everyone.
    func rollback(group: String) async throws(FleetConfigRefusal) -> FleetConfigGroupStatus {
        try Self.check(group: group, canary: 100)
        await refresh()
        guard let head = releases[group] else { throw .notFound("group \(group) has no central configuration; nothing to roll back") }
        var target: (UInt64, String)?
        if head.canary < 100, let stable = head.stable, let body = head.stableBody {
            target = (stable, body)
        } else if let earlier = versions[group]?.values.filter({ $0.version < head.version }).max(by: { $0.version < $1.version }) {
            target = (earlier.version, earlier.body)
        }
        guard let (version, body) = target else {
            throw .badRequest("group \(group) has no version before \(head.version) to roll back to; push the configuration you want instead")
        }
        let introduced = versions[group]?[version]
        let release = FleetConfigRelease(group: group, revision: head.revision + 1, version: version, body: body, canary: 100, stable: nil,
                                         stableBody: nil, at: Self.now(), node: nodeID, versionPushedAt: introduced?.versionPushedAt ?? 0,
                                         versionPushedVia: introduced?.versionPushedVia ?? "")
        try await publish(release)
        logger.notice("central configuration \(group): rolled back from version \(head.version) to \(version)")
        return status(group: group)
    }

    /// The body of one version, if known.
    func body(group: String, version: UInt64) -> String? {
        versions[group]?[version]?.body
    }

    func status(group: String) -> FleetConfigGroupStatus {
        let release = releases[group]
        let known = (versions[group] ?? [:]).values.sorted { $0.version < $1.version }.map { release in
            FleetConfigVersion(version: release.version, sha256: SHA256Digest.hex(Array(release.body.utf8)), bytes: release.body.utf8.count,
                               pushedAt: CivilTime.rfc3339(nanoseconds: release.versionPushedAt), pushedVia: release.versionPushedVia)
        }
        let agents = reports.values.filter { $0.group == group }.sorted { ($0.host, $0.agent) < ($1.host, $1.agent) }.map { report in
            let target = release?.target(for: report.agent)?.version ?? 0
            let failed = !report.error.isEmpty && report.version == target
            let state = failed ? "failed" : report.applied == target ? "current" : "pending"
            return FleetConfigAgent(agent: report.agent, host: report.host, target: target, applied: report.applied, state: state,
                                    error: report.error.isEmpty ? nil : report.error, failedVersion: report.error.isEmpty ? nil : report.version,
                                    reportedAt: CivilTime.rfc3339(nanoseconds: report.at), node: report.node)
        }
        return FleetConfigGroupStatus(group: group, version: release?.version ?? 0, canary: release?.canary ?? 0, stable: release?.stable,
                                      revision: release?.revision ?? 0, versions: known, agents: agents)
    }

    func list() -> FleetConfigList {
        let groups = Set(releases.keys).union(reports.values.map(\.group))
        return FleetConfigList(groups: groups.sorted().map { status(group: $0) })
    }

    // MARK: Storage

    /// Reads the releases and reports back from the cluster until cancelled.
    func pollLoop() async {
        while !Task.isCancelled {
            await refresh()
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Folds what the cluster holds — its whole window at the first call
    /// and every `fullReadInterval`, else the last few minutes, where other
    /// nodes' pushes land — and tells connected agents of changed groups.
    func refresh() async {
        let read: (releases: [FleetConfigRelease], reports: [FleetAgentReport])
        let full = lastFullRead.map { $0.duration(to: .now) > Self.fullReadInterval } ?? true
        let started = ContinuousClock.now
        let now = Self.now()
        do {
            read = try await storage.read(from: now - (full ? storage.window : Self.recentWindow))
            if full { lastFullRead = started }
        } catch {
            logger.warning("central configuration: cannot read the releases back (\(error)); serving what this node knew")
            return
        }
        for release in read.releases.sorted(by: { !$0.supersedes($1) }) { fold(release) }
        for report in read.reports where (reports[report.agent]?.at ?? .min) < report.at { reports[report.agent] = report }
        await keepAlive()
    }

    private func publish(_ release: FleetConfigRelease) async throws(FleetConfigRefusal) {
        do {
            try await storage.write(release)
        } catch {
            throw .unavailable("not stored: \(error); nothing changed, try again")
        }
        fold(release)
    }

    private func fold(_ release: FleetConfigRelease) {
        if versions[release.group]?[release.version] == nil || release.versionPushedAt < (versions[release.group]?[release.version]?.versionPushedAt ?? .max) {
            versions[release.group, default: [:]][release.version] = release
        }
        if let kept = versions[release.group], kept.count > Self.maxVersionsKept {
            // Memory stays bounded: the oldest bodies go (never those in force).
            let head = releases[release.group]
            let spare = kept.keys.sorted().filter { $0 != head?.version && $0 != head?.stable && $0 != release.version && $0 != release.stable }
            for version in spare.prefix(kept.count - Self.maxVersionsKept) { versions[release.group]?[version] = nil }
        }
        if let head = releases[release.group], !release.supersedes(head) { return }
        let changed = releases[release.group].map { ($0.revision, $0.version, $0.canary) != (release.revision, release.version, release.canary) } ?? true
        releases[release.group] = release
        guard changed else { return }
        for subscriber in subscribers.values where subscriber.group == release.group {
            subscriber.send(.configChanged(ConfigChanged(group: release.group, version: release.version)))
        }
    }

    /// Writes each group's newest release again once it is older than half
    /// the read window, so neither a full read nor retention misses a group
    /// in force.
    private func keepAlive() async {
        let now = Self.now()
        let horizon = storage.window / 2
        for (group, release) in releases where now - release.at > horizon {
            var again = release
            again.at = now
            again.node = nodeID
            do {
                try await storage.write(again)
                releases[group] = again
            } catch {
                logger.warning("central configuration \(group): could not write the release again before retention (\(error)); trying at the next read")
            }
        }
    }

    private static func check(group: String, canary: Int) throws(FleetConfigRefusal) {
        guard ConfigRequest.isValidGroup(group) else {
            throw .badRequest("group \"\(group)\" must be 1–64 letters, digits, '.', '_' or '-'")
        }
        guard (1...100).contains(canary) else {
            throw .badRequest("canary \(canary)% is out of range: give 1–100 (percent of the group's agents)")
        }
    }

    static func now() -> Int64 {
        let seconds = Date().timeIntervalSince1970
        return seconds > 0 && seconds < 9.2e9 ? Int64(seconds * 1e9) : 0
    }
}
