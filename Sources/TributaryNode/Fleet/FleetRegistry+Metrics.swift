import TributaryAPI
import TributaryTelemetry

/// Fleet series on `/metrics`, as this node sees the fleet (docs/fleet.md
/// "Alerting on the fleet"). In a cluster an agent appears on the nodes it
/// was connected to; take `max by (agent)` of the per-agent series for the
/// cluster's view.
extension FleetRegistry {
    func metricsText(at now: Int64 = FleetRegistry.now) -> String {
        let (tenants, untracked) = state.withLock { state in
            (Set(state.agents.values.map(\.tenant)).union(state.sources.values.map(\.tenant)), (state.untrackedAgents, state.untrackedSources))
        }
        var byVersion: [String: [String: Int]] = [:]
        var lastSeen: [(labels: [(String, String)], value: Int)] = []
        var silentCount: [(labels: [(String, String)], value: Int)] = []
        var silent: [(labels: [(String, String)], value: Int)] = []
        var agentCounts: [(labels: [(String, String)], value: Int)] = []
        for tenant in tenants.sorted() {
            byVersion = [:]
            for agent in agents(tenant: tenant, at: now) {
                byVersion[agent.version, default: ["up": 0, "missing": 0]][agent.state, default: 0] += 1
                lastSeen.append(([("tenant", tenant), ("agent", agent.id), ("host", agent.host), ("version", agent.version)],
                                 Int(FleetMerge.seen(agent.lastSeen) / 1_000_000_000)))
            }
            for (version, states) in byVersion.sorted(by: { $0.key < $1.key }) {
                for (state, count) in states.sorted(by: { $0.key < $1.key }) {
                    agentCounts.append(([("tenant", tenant), ("version", version), ("state", state)], count))
                }
            }
            let quiet = sources(tenant: tenant, at: now).filter(\.silent)
            silentCount.append(([("tenant", tenant)], quiet.count))
            for source in quiet {
                silent.append(([("tenant", tenant), ("source", source.key), ("kind", source.kind)], Int(FleetMerge.seen(source.lastSeen) / 1_000_000_000)))
            }
        }
        var text = PrometheusText()
        text.gauge("tributary_fleet_agents", "Agents this node knows, by version and state (up, or missing: not heard from for fleet.missing_after).",
                   series: agentCounts)
        text.gauge("tributary_fleet_agent_last_seen_seconds", "Unix time this node last heard from the agent (batch, report or ping).",
                   series: lastSeen)
        text.gauge("tributary_fleet_silent_sources", "Sources silent against their own baseline (fleet.silent_after, fleet.silent_factor).",
                   series: silentCount)
        text.gauge("tributary_fleet_source_silent_since_seconds", "Unix time of the last record of each silent source.", series: silent)
        text.gauge("tributary_fleet_untracked_agents", "Agents not tracked because fleet.max_agents was reached.", untracked.0)
        text.gauge("tributary_fleet_untracked_sources", "Sources not tracked because fleet.max_sources was reached.", untracked.1)
        return text.output
    }
}
