import TributaryModel

/// The incident scenario as records, backfilled so it plays in
/// seconds: `checkout`'s memory is steady for the baseline, a deploy goes
/// out at `deployAt`, then memory grows linearly while the service's log
/// gains a new, growing line `cache size=<n> entries` from a minute after
/// the deploy, among steady ones. `search` runs beside it, steady, with a
/// deploy of its own that must stay out of checkout's incident. Shared by
/// `trib demo` and the process test, so both play the same story.
public struct IncidentScenario: Sendable {
    /// The end of the data (ns), normally now.
    public var now: Int64
    /// How much history before `now` (ns).
    public var history: Int64 = 3 * 3_600_000_000_000
    /// The deploy's time (ns): `now` − 20 minutes by default.
    public var deployAt: Int64
    /// The memory gauge's name and labels.
    public static let memoryName = "process_resident_memory_bytes"
    public static let memoryLabels = ["service": "checkout", "host": "web-1"]
    public static let deployMessage = "checkout v1.4.2"
    /// The new log line's template as the pattern miner writes it.
    public static let newPattern = "cache size=<*> entries"

    public init(now: Int64) {
        self.now = now
        deployAt = now - 20 * 60_000_000_000
    }

    /// The deploy event, the other service's deploy, and the logs, oldest first.
    public func changesAndLogs() throws -> [Record] {
        let second: Int64 = 1_000_000_000
        let start = now - history
        var records: [Record] = [
            .event(ChangeEvent(type: "deploy", labels: try Labels(["service": "checkout", "host": "ci-runner-3", "version": "v1.4.2"]),
                               timestamp: deployAt, message: Self.deployMessage)),
            .event(ChangeEvent(type: "deploy", labels: try Labels(["service": "search", "host": "ci-runner-3"]),
                               timestamp: deployAt - 10 * 60 * second, message: "search v7.0.1")),
        ]
        let checkout = try Labels(["service": "checkout", "host": "web-1"])
        var index: Int64 = 0
        var time = start
        while time <= now {
            records.append(.log(LogRecord(timestamp: time, labels: checkout, message: "GET /cart 200 in \(12 + index % 37)ms")))
            if index % 2 == 0 {
                records.append(.log(LogRecord(timestamp: time + second, labels: checkout, message: "user \(1000 + index * 7 % 900) logged in")))
                records.append(.log(LogRecord(timestamp: time + 2 * second, labels: checkout,
                                              message: "payment authorized for order \(50_000 + index)")))
            }
            // The new line: from a minute after the deploy, more each minute.
            let sinceNew = time - (deployAt + 60 * second)
            if sinceNew >= 0, index % 2 == 0 {
                let minutes = sinceNew / (60 * second)
                for copy in 0...minutes {
                    records.append(.log(LogRecord(timestamp: time + (3 + copy) * second, labels: checkout,
                                                  message: "cache size=\(1024 * (minutes + 1) + copy) entries")))
                }
            }
            index += 1
            time += 30 * second
        }
        return records.sorted { $0.timestamp < $1.timestamp }
    }

    /// checkout's memory gauge (and search's, steady), every 30 s, oldest first.
    public func memory() throws -> [Record] {
        let second: Int64 = 1_000_000_000
        let mebibyte = 1_048_576.0
        let checkout = try Labels(Self.memoryLabels)
        let search = try Labels(["service": "search", "host": "web-2"])
        var records: [Record] = []
        var index: Int64 = 0
        var time = now - history
        while time <= now {
            // ±2.5 MiB of deterministic jitter around 512 MiB, then 6 MiB a minute after the deploy.
            let jitter = Double((index * 7919) % 11 - 5) * 0.5 * mebibyte
            let growth = time > deployAt ? Double(time - deployAt) / Double(60 * second) * 6 * mebibyte : 0
            records.append(.metric(MetricSample(name: Self.memoryName, labels: checkout, timestamp: time,
                                                value: 512 * mebibyte + jitter + growth, kind: .gauge)))
            records.append(.metric(MetricSample(name: Self.memoryName, labels: search, timestamp: time,
                                                value: 300 * mebibyte + jitter, kind: .gauge)))
            index += 1
            time += 30 * second
        }
        return records
    }

    /// The rule file of the scenario: an anomaly rule on checkout's memory.
    public static func rules(interval: String) -> String {
        """
        groups:
          - name: checkout
            interval: \(interval)
            rules:
              - alert: CheckoutMemoryAnomaly
                anomaly: \(memoryName){service="checkout"}
                sensitivity: 4
                min_duration: 3m
                window: 2h
                step: 1m
                seasonality: none
                direction: up
                labels: {severity: page}
                annotations:
                  summary: "memory of {{ $labels.service }} is {{ $value | humanize1024 }}B, above its usual band"

        """
    }
}
