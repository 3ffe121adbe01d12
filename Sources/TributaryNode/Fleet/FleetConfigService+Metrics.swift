import TributaryTelemetry

extension FleetConfigService {
    /// `/metrics`: per group, its newest version and how many agents are
    /// current, pending or failed on it — for rules such as
    /// `tributary_fleet_config_agents{state="failed"} > 0`.
    func metricsText() -> String {
        var text = PrometheusText()
        let groups = list().groups
        text.gauge("tributary_fleet_config_version", "Newest central configuration version of each group.",
                   series: groups.map { ([("group", $0.group)], Int(clamping: $0.version)) })
        var agents: [(labels: [(String, String)], value: Int)] = []
        for group in groups {
            for state in ["current", "pending", "failed"] {
                agents.append(([("group", group.group), ("state", state)], group.agents.filter { $0.state == state }.count))
            }
        }
        text.gauge("tributary_fleet_config_agents", "Agents of each group by central configuration state (from their latest reports).",
                   series: agents)
        return text.output
    }
}
