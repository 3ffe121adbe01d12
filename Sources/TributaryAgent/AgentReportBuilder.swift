import Foundation
import TributaryModel
import TributaryWire

/// Builds the REPORT an agent sends to the node it delivers to (at connect,
/// then every `fleet.report_interval`): who it is, what it runs and how its
/// inputs and spool fare. Cheap: counters and a few cached strings.
struct AgentReportBuilder: Sendable {
    let configuration: AgentConfiguration
    let host: String
    let metrics: AgentMetrics
    let spool: Spool
    let startedMilliseconds: UInt64
    /// Read once: the OS name and kernel release do not change while the agent runs.
    let os: String
    let kernel: String

    init(configuration: AgentConfiguration, host: String, metrics: AgentMetrics, spool: Spool) {
        self.configuration = configuration
        self.host = host
        self.metrics = metrics
        self.spool = spool
        startedMilliseconds = UInt64(max(0, Self.processStart.timeIntervalSince1970 * 1000))
        os = Self.osName()
        kernel = Self.firstLine(of: "/proc/sys/kernel/osrelease") ?? ""
    }

    func report() -> AgentReport {
        var report = AgentReport()
        report.host = host
        report.os = os
        report.kernel = kernel
        report.version = TributaryVersion.string
        report.startedMilliseconds = startedMilliseconds
        report.configHash = configuration.configHash
        if let group = configuration.centralGroup, let version = configuration.centralVersion {
            report.configVersion = "\(group) v\(version)"
        }
        report.spoolBytes = UInt64(max(0, spool.usedBytes))
        report.oldestUnackedMilliseconds = UInt64(max(0, metrics.lagSeconds * 1000))
        report.lastError = metrics.lastError
        report.labels = Dictionary(configuration.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        report.inputs = configuration.inputs.prefix(AgentReport.maxInputs).map { input in
            AgentReport.Input(name: input.name, type: Self.typeName(input.kind), state: spool.isFull ? "paused" : "running",
                              records: UInt64(max(0, metrics.value("tributary_agent_records_in_total", input.name))))
        }
        report.droppedRecords = UInt64(max(0, metrics.total("tributary_agent_dropped_total")))
        report.udpDroppedRecords = UInt64(max(0, metrics.value("tributary_agent_dropped_total", "udp_spool_full")))
        return report
    }

    /// The first start of the agent in this process: a SIGHUP reload
    /// restarts the pipeline, not the process, and keeps this time.
    private static let processStart = Date()

    static func typeName(_ kind: InputConfiguration.Kind) -> String {
        switch kind {
        case .file(let settings): return settings.format == .docker ? "docker" : "file"
        case .syslog: return "syslog"
        case .hostMetrics: return "host_metrics"
        case .statsd: return "statsd"
        case .prometheus: return "prometheus"
        }
    }

    /// `PRETTY_NAME` of /etc/os-release, else the system name.
    private static func osName() -> String {
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                    .truncatedUTF8(toBytes: 255)
            }
        }
        return "Linux"
    }

    private static func firstLine(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { String($0).truncatedUTF8(toBytes: 255) }
    }
}
