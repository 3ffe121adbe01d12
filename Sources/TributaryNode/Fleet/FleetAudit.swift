import TributaryAPI
import TributaryQuery

/// `trib fleet audit`: what the fleet is missing, each with since when
/// (docs/fleet.md): silent sources (against their own baseline, see
/// `FleetBaseline`), missing agents, and records agents lost (spool drops
/// and UDP drops, from their reports). Oldest first.
enum FleetAudit {
    /// - Parameter gapAfter: a hole in an agent's sequences counts once the
    ///   batch after it is this old (time for retries and fail-over).
    static func findings(agents: [FleetAgent], sources: [FleetSource], now: Int64, gapAfter: Int64 = 300_000_000_000) -> [FleetFinding] {
        var findings: [FleetFinding] = []
        for source in sources where source.silent {
            let quiet = Double(max(0, now &- FleetMerge.seen(source.lastSeen))) / 1e9
            findings.append(FleetFinding(
                kind: "silent_source", subject: source.key, since: source.lastSeen,
                detail: "usually \(rate(source.usualPerMinute)) records/min (\(source.records) since \(seconds(source.firstSeen))); nothing for \(duration(quiet)), silent after \(duration(source.silentAfterSeconds ?? 0))"))
        }
        for agent in agents {
            if agent.state == "missing" {
                let quiet = Double(max(0, now &- FleetMerge.seen(agent.lastSeen))) / 1e9
                findings.append(FleetFinding(kind: "missing_agent", subject: agent.id, since: agent.lastSeen,
                                             detail: "host \(agent.host), version \(agent.version): not heard from for \(duration(quiet)) (last on node \(agent.node))"))
            }
            for (below, above) in zip(agent.sequences, agent.sequences.dropFirst()) where now &- FleetMerge.seen(above.firstSeen) >= gapAfter {
                let first = below.to &+ 1
                let last = above.from &- 1
                findings.append(FleetFinding(kind: "sequence_gap", subject: agent.id, since: above.firstSeen,
                                             detail: "host \(agent.host): batches \(first == last ? "\(first)" : "\(first)–\(last)") never reached a node (lost from the agent's spool?), though \(above.from) did"))
            }
            let spoolDrops = agent.droppedRecords &- min(agent.droppedRecords, agent.udpDroppedRecords)
            if spoolDrops > 0 {
                findings.append(FleetFinding(kind: "spool_drop", subject: agent.id, since: agent.dropSince ?? agent.started ?? agent.firstSeen,
                                             detail: "host \(agent.host) lost \(spoolDrops) records for good since it started (refused by a node, or over a limit): see its dead-letter file and tributary_agent_dropped_total"))
            }
            if agent.udpDroppedRecords > 0 {
                findings.append(FleetFinding(kind: "udp_drop", subject: agent.id, since: agent.udpDropSince ?? agent.started ?? agent.firstSeen,
                                             detail: "host \(agent.host) dropped \(agent.udpDroppedRecords) UDP datagrams since it started because its spool was full"))
            }
        }
        return findings.sorted { (FleetMerge.seen($0.since), $0.kind, $0.subject) < (FleetMerge.seen($1.since), $1.kind, $1.subject) }
    }

    /// `2026-12-03T16:20:01.123456789Z` → `2026-12-03T16:20:01Z`.
    static func seconds(_ time: String) -> String {
        guard let dot = time.firstIndex(of: ".") else { return time }
        return String(time[..<dot]) + "Z"
    }

    static func rate(_ perMinute: Double) -> String {
        perMinute >= 10 ? String(Int(perMinute.rounded())) : String((perMinute * 10).rounded() / 10)
    }

    /// `95s` → `1m35s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60 == 0 ? "" : "\(total % 60)s")" }
        return "\(total / 3600)h\(total % 3600 / 60 == 0 ? "" : "\(total % 3600 / 60)m")"
    }
}
