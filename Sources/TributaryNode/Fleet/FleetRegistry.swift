import Foundation
import Synchronization
import TributaryAPI
import TributaryModel
import TributaryQuery
import TributaryWire

/// This node's view of the fleet: the agents connected to it (HELLO,
/// REPORT, last contact) and the sources of the records it coordinated
/// (agent batches and pushes). `NodeAPI+Fleet` merges every node's view.
///
/// Memory is bounded by `fleet.max_agents` and `fleet.max_sources`: past
/// them new agents or sources are not tracked (counted in
/// `untrackedAgents`/`untrackedSources`, shown in `/metrics`), and
/// entries not heard from for `fleet.forget_after` are forgotten.
public final class FleetRegistry: Sendable {
    struct State {
        var agents: [String: FleetAgentEntry] = [:]
        var sources: [String: FleetSourceEntry] = [:]
        var untrackedAgents = 0
        var untrackedSources = 0
        var lastSweep: Int64 = 0
    }

    let nodeID: String
    let settings: FleetSettings
    let state = Mutex(State())

    init(nodeID: String, settings: FleetSettings) {
        self.nodeID = nodeID
        self.settings = settings
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    private static func agentKey(_ tenant: String, _ id: String) -> String { tenant + "\u{0}" + id }

    // MARK: Observations

    /// An agent's HELLO was accepted.
    func connected(tenant: String, agentID: String, host: String, software: String, at now: Int64 = now) {
        state.withLock { state in
            let key = Self.agentKey(tenant, agentID)
            if var entry = state.agents[key] {
                entry.helloHost = host
                entry.software = software
                entry.connections += 1
                entry.lastSeen = max(entry.lastSeen, now)
                state.agents[key] = entry
            } else if state.agents.count < settings.maxAgents {
                state.agents[key] = FleetAgentEntry(tenant: tenant, id: agentID, helloHost: host, software: software, report: nil,
                                                    firstSeen: now, lastSeen: now, connections: 1)
            } else {
                state.untrackedAgents += 1
            }
        }
    }

    func disconnected(tenant: String, agentID: String, at now: Int64 = now) {
        state.withLock { state in
            let key = Self.agentKey(tenant, agentID)
            guard var entry = state.agents[key] else { return }
            entry.connections = max(0, entry.connections - 1)
            entry.lastSeen = max(entry.lastSeen, now)
            state.agents[key] = entry
        }
    }

    /// Any frame from the agent (a batch, a ping).
    func heard(tenant: String, agentID: String, at now: Int64 = now) {
        state.withLock { state in
            state.agents[Self.agentKey(tenant, agentID)]?.lastSeen = now
        }
    }

    func report(_ report: AgentReport, tenant: String, agentID: String, at now: Int64 = now) {
        state.withLock { state in
            let key = Self.agentKey(tenant, agentID)
            guard var entry = state.agents[key] else { return }
            if entry.report?.startedMilliseconds != report.startedMilliseconds {
                entry.dropSince = nil
                entry.udpDropSince = nil
            }
            if report.droppedRecords > report.udpDroppedRecords, entry.dropSince == nil { entry.dropSince = now }
            if report.udpDroppedRecords > 0, entry.udpDropSince == nil { entry.udpDropSince = now }
            entry.report = report
            entry.lastSeen = now
            state.agents[key] = entry
        }
    }

    /// A batch of the agent was answered for good (stored, duplicate, or refused permanently).
    func answered(tenant: String, agentID: String, sequence: UInt64, at now: Int64 = now) {
        state.withLock { state in
            state.agents[Self.agentKey(tenant, agentID)]?.answered(sequence, at: now)
        }
    }

    /// Records stored for `tenant`: counted per source. `push` names the
    /// push protocol for records that did not come from an agent.
    func received(_ records: [Record], tenant: String, agentID: String? = nil, push: String? = nil, at now: Int64 = now) {
        guard !records.isEmpty else { return }
        var counts: [FleetSourceKey: Int] = [:]
        var previous: (Labels, FleetSourceKey)?
        for record in records {
            let labels = record.labels
            if let (last, source) = previous, last == labels {
                counts[source, default: 0] += 1
                continue
            }
            let source = FleetSourceKey.of(labels, push: push)
            previous = (labels, source)
            counts[source, default: 0] += 1
        }
        received(sources: counts, tenant: tenant, agentID: agentID, at: now)
    }

    /// Records stored for `tenant`, already counted per source.
    func received(sources counts: [FleetSourceKey: Int], tenant: String, agentID: String? = nil, at now: Int64 = now) {
        state.withLock { state in
            if let agentID { state.agents[Self.agentKey(tenant, agentID)]?.lastSeen = now }
            for (source, count) in counts {
                let key = tenant + "\u{0}" + source.key
                if state.sources[key] != nil {
                    state.sources[key]!.add(count, at: now)
                } else if state.sources.count < settings.maxSources {
                    var entry = FleetSourceEntry(tenant: tenant, source: source, firstSeen: now, lastSeen: now, records: 0,
                                                 minute: now / 60_000_000_000, thisMinute: 0, lastMinute: 0)
                    entry.add(count, at: now)
                    state.sources[key] = entry
                } else {
                    state.untrackedSources += 1
                }
            }
            sweep(&state, now: now)
        }
    }

    /// Forgets what was not heard from for `forget_after`, at most once a minute.
    private func sweep(_ state: inout State, now: Int64) {
        guard now &- state.lastSweep >= 60_000_000_000 else { return }
        state.lastSweep = now
        let cutoff = now &- Self.nanoseconds(settings.forgetAfter)
        state.sources = state.sources.filter { $0.value.lastSeen >= cutoff }
        state.agents = state.agents.filter { $0.value.lastSeen >= cutoff || $0.value.connections > 0 }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    // MARK: Views

    /// The tenant's agents as this node knows them.
    func agents(tenant: String, at now: Int64 = now) -> [FleetAgent] {
        let entries = state.withLock { state in state.agents.values.filter { $0.tenant == tenant } }
        return entries.map { agent($0, now: now) }.sorted { $0.id < $1.id }
    }

    /// The tenant's sources as this node counted them.
    func sources(tenant: String, at now: Int64 = now) -> [FleetSource] {
        let entries = state.withLock { state in state.sources.values.filter { $0.tenant == tenant } }
        return entries.map { entry in
            let baseline = FleetBaseline(records: entry.records, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen, now: now, settings: settings)
            return FleetSource(key: entry.source.key, kind: entry.source.kind, firstSeen: QueryTime.format(entry.firstSeen),
                               lastSeen: QueryTime.format(entry.lastSeen), records: entry.records,
                               recordsPerMinute: Double(entry.perMinute(at: now)), usualPerMinute: baseline.usualPerMinute,
                               silentAfterSeconds: baseline.silentAfterSeconds, silent: baseline.silent)
        }.sorted { $0.key < $1.key }
    }

    /// Agents and sources over the limits since the node started.
    var untracked: (agents: Int, sources: Int) {
        state.withLock { ($0.untrackedAgents, $0.untrackedSources) }
    }

    private func agent(_ entry: FleetAgentEntry, now: Int64) -> FleetAgent {
        let report = entry.report
        let version = report.map(\.version).flatMap { $0.isEmpty ? nil : $0 }
            ?? (entry.software.hasPrefix("trib/") ? String(entry.software.dropFirst(5)) : entry.software)
        let up = entry.connections > 0 || now &- entry.lastSeen < Self.nanoseconds(settings.missingAfter)
        return FleetAgent(
            id: entry.id, host: report.map(\.host).flatMap { $0.isEmpty ? nil : $0 } ?? entry.helloHost,
            os: report?.os ?? "", kernel: report?.kernel ?? "", version: version, state: up ? "up" : "missing",
            lastSeen: QueryTime.format(entry.lastSeen),
            started: report.flatMap { $0.startedMilliseconds > 0 ? QueryTime.format(Int64(clamping: $0.startedMilliseconds) &* 1_000_000) : nil },
            configHash: report?.configHash ?? "", configVersion: report?.configVersion, configError: report?.configError,
            spoolBytes: report?.spoolBytes ?? 0, oldestUnackedSeconds: Double(report?.oldestUnackedMilliseconds ?? 0) / 1000,
            lastError: report?.lastError, labels: report?.labels ?? [:],
            inputs: (report?.inputs ?? []).map { FleetInput(name: $0.name, type: $0.type, state: $0.state, records: $0.records) },
            node: nodeID, connected: entry.connections > 0, reports: report != nil,
            droppedRecords: report?.droppedRecords ?? 0, udpDroppedRecords: report?.udpDroppedRecords ?? 0,
            firstSeen: QueryTime.format(entry.firstSeen),
            dropSince: entry.dropSince.map(QueryTime.format), udpDropSince: entry.udpDropSince.map(QueryTime.format),
            sequences: entry.sequences.map { FleetSequenceRun(from: $0.from, to: $0.to, firstSeen: QueryTime.format($0.at)) })
    }
}
