import Foundation
import TributaryModel
import TributaryQuery

/// Where central configuration lives: change events of the internal
/// tenant `fleet.config` (a name no configured tenant can have, since
/// tenant names cannot contain a dot, so no agent or client can write or
/// read it), written through the path agents' batches take — the
/// write-ahead log on one node; the coordinator, replicas, write quorum
/// and hints in a cluster — and read back by the query path (one live
/// replica of each partition). Labels: `__fleet__` (`release` or
/// `report`), `group`, and `agent` for reports; the message is the JSON
/// of a `FleetConfigRelease` or `FleetAgentReport`.
struct FleetConfigStore: Sendable {
    static let tenant = "fleet.config"
    static let eventType = "fleet-config"
    let writer: RuleWriter
    let reader: RuleQueryRunner
    /// The tenant's retention (ns).
    let retention: Int64
    /// How far back a full read looks (ns): the retention, at most 7 days
    /// (a read enumerates every partition of the window). Releases in force
    /// are written again when older than half of it (`FleetConfigService`).
    var window: Int64 { min(retention, 7 * 86_400 * 1_000_000_000) }
    /// Reads at most this many records (newest first); reports are written
    /// only when an agent's state changes, so this covers large fleets.
    static let readLimit = 10_000

    func write(_ release: FleetConfigRelease) async throws {
        try await write(kind: "release", labels: ["group": release.group], message: try JSONEncoder().encode(release))
    }

    func write(_ report: FleetAgentReport) async throws {
        try await write(kind: "report", labels: ["group": report.group, "agent": report.agent], message: try JSONEncoder().encode(report))
    }

    private func write(kind: String, labels: [String: String], message: Data) async throws {
        var all = labels
        all["__fleet__"] = kind
        let event = ChangeEvent(type: Self.eventType, labels: try Labels(all), timestamp: FleetConfigService.now(),
                                message: String(decoding: message, as: UTF8.self))
        try await writer.write([.event(event)], tenant: Self.tenant)
    }

    /// The releases and reports the cluster holds from `from` (ns) on.
    func read(from: Int64) async throws -> (releases: [FleetConfigRelease], reports: [FleetAgentReport]) {
        let text = #"{__fleet__=~"release|report"}"#
        guard case .logs(let selector) = try QueryExpr.parse(text, language: .logql) else { return ([], []) }
        let events = try await reader.events(LogQuery(selector), text: text, tenant: Self.tenant, from: from, to: FleetConfigService.now(),
                                             limit: Self.readLimit, timeout: .seconds(10))
        var releases: [FleetConfigRelease] = []
        var reports: [FleetAgentReport] = []
        let decoder = JSONDecoder()
        for event in events where event.type == Self.eventType {
            let bytes = Data(event.message.readableBytesView)
            switch event.labels.first(where: { $0.name == "__fleet__" })?.value {
            case "release": if let release = try? decoder.decode(FleetConfigRelease.self, from: bytes) { releases.append(release) }
            case "report": if let report = try? decoder.decode(FleetAgentReport.self, from: bytes) { reports.append(report) }
            default: continue
            }
        }
        return (releases, reports)
    }
}
