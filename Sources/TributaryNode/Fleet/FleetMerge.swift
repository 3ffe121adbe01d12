import TributaryAPI
import TributaryQuery

/// Merges the views of several nodes into the cluster's: an agent is the
/// entry heard from last (connected if any node has it connected); a
/// source's counts add up (an agent that failed over sent part of them to
/// each node) and its baseline is computed again over the whole.
enum FleetMerge {
    static func agents(_ views: [[FleetAgent]], settings: FleetSettings, now: Int64) -> [FleetAgent] {
        var byID: [String: FleetAgent] = [:]
        for agent in views.joined() {
            guard let existing = byID[agent.id] else { byID[agent.id] = agent; continue }
            var newer = seen(agent.lastSeen) > seen(existing.lastSeen) ? agent : existing
            let older = newer == agent ? existing : agent
            if !newer.reports && older.reports {
                // Keep the report of a node the agent reported to (HELLO-only views lack it).
                let lastSeen = newer.lastSeen
                let node = newer.node
                newer = older
                newer.lastSeen = lastSeen
                newer.node = node
            }
            newer.connected = agent.connected || existing.connected
            if newer.connected { newer.node = agent.connected ? agent.node : existing.node }
            newer.firstSeen = seen(agent.firstSeen) < seen(existing.firstSeen) ? agent.firstSeen : existing.firstSeen
            newer.sequences = runs(agent.sequences + existing.sequences)
            byID[agent.id] = newer
        }
        let missingAfter = FleetRegistry.nanoseconds(settings.missingAfter)
        return byID.values.map { agent in
            var agent = agent
            agent.state = agent.connected || now &- seen(agent.lastSeen) < missingAfter ? "up" : "missing"
            return agent
        }.sorted { $0.id < $1.id }
    }

    static func sources(_ views: [[FleetSource]], settings: FleetSettings, now: Int64) -> [FleetSource] {
        var byKey: [String: FleetSource] = [:]
        for source in views.joined() {
            guard var merged = byKey[source.key] else { byKey[source.key] = source; continue }
            if seen(source.firstSeen) < seen(merged.firstSeen) { merged.firstSeen = source.firstSeen }
            if seen(source.lastSeen) > seen(merged.lastSeen) { merged.lastSeen = source.lastSeen }
            merged.records &+= source.records
            merged.recordsPerMinute += source.recordsPerMinute
            byKey[source.key] = merged
        }
        return byKey.values.map { source in
            var source = source
            let baseline = FleetBaseline(records: source.records, firstSeen: seen(source.firstSeen), lastSeen: seen(source.lastSeen),
                                         now: now, settings: settings)
            source.usualPerMinute = baseline.usualPerMinute
            source.silentAfterSeconds = baseline.silentAfterSeconds
            source.silent = baseline.silent
            return source
        }.sorted { $0.key < $1.key }
    }

    /// The union of runs from several nodes, ascending and merged where
    /// they touch; a merged run's first batch is the earliest of its parts.
    static func runs(_ runs: [FleetSequenceRun]) -> [FleetSequenceRun] {
        var merged: [FleetSequenceRun] = []
        for run in runs.sorted(by: { $0.from < $1.from }) {
            if var last = merged.last, run.from <= last.to &+ 1 {
                last.to = max(last.to, run.to)
                if seen(run.firstSeen) < seen(last.firstSeen) { last.firstSeen = run.firstSeen }
                merged[merged.count - 1] = last
            } else {
                merged.append(run)
            }
        }
        return merged
    }

    static func seen(_ text: String) -> Int64 {
        QueryTime.parseRFC3339(text) ?? 0
    }
}
