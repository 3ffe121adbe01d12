import TributaryModel

/// Which source a record came from, from its labels (docs/fleet.md):
///
/// - `syslog:HOST`: a syslog sender (its HOSTNAME, or its address when it sends none);
/// - `file:HOST:PATH`: a file an agent tails (`filename` label);
/// - `scrape:JOB/INSTANCE`: a scrape target or a remote-write sender's series;
/// - `push:PROTOCOL:NAME`: a push client (Loki, OTLP) by `service_name`, `job` or `host`;
/// - `agent:HOST`: everything else an agent sends (StatsD, host metrics, events).
struct FleetSourceKey: Hashable, Sendable {
    var kind: String
    var key: String

    static func of(_ labels: Labels, push: String?) -> FleetSourceKey {
        let host = labels["host"]
        if let push {
            if let job = labels["job"], let instance = labels["instance"] { return FleetSourceKey(kind: "scrape", key: "scrape:\(job)/\(instance)") }
            let name = labels["service_name"] ?? labels["job"] ?? host ?? "unnamed"
            return FleetSourceKey(kind: "push", key: "push:\(push):\(name)")
        }
        if labels["source"] == "syslog" { return FleetSourceKey(kind: "syslog", key: "syslog:\(host ?? "unknown")") }
        if let file = labels["filename"] { return FleetSourceKey(kind: "file", key: "file:\(host ?? "unknown"):\(file)") }
        if let job = labels["job"], let instance = labels["instance"] { return FleetSourceKey(kind: "scrape", key: "scrape:\(job)/\(instance)") }
        return FleetSourceKey(kind: "agent", key: "agent:\(host ?? "unknown")")
    }
}
