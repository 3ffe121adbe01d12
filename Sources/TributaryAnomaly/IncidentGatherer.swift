import TributaryModel
import TributaryQuery

/// Finds the other anomalous series of a scope through the query engine:
/// every metric of the service (or app) is judged with the same rule
/// settings, so an incident can say "and its latency is up too".
public struct IncidentGatherer: Sendable {
    /// Rule keys for the judged metrics, as YAML lines (empty: defaults).
    public var settings: String
    /// At most this many metric names are judged per scope (the cost of one
    /// incident stays bounded on a service with thousands of metrics).
    public var maximumMetrics: Int

    public init(settings: String = "", maximumMetrics: Int = 50) {
        self.settings = settings
        self.maximumMetrics = maximumMetrics
    }

    /// The anomaly findings at `time` among the metrics whose `service` or
    /// `app` label is the scope's subject (plus its host when it has one).
    public func anomalies(in scope: IncidentScope, at time: Int64, source: any QuerySource,
                          engine: QueryEngine = QueryEngine()) throws -> [AnomalyFinding] {
        let scopeLabels = scope.dictionary
        var findings: [AnomalyFinding] = []
        var judged: Set<Labels> = []
        for name in ["service", "app"] {
            guard let value = scopeLabels["service"] ?? scopeLabels["app"] else { break }
            var matchers = "\(name)=\(Self.quoted(value))"
            if let host = scopeLabels["host"] { matchers += ",host=\(Self.quoted(host))" }
            let listing = try engine.instant(try QueryExpr.parse("{\(matchers)}", language: .promql), at: time, source: source)
            guard case .vector(let samples) = listing else { continue }
            let metrics = Set(samples.compactMap { $0.labels["__name__"] }).sorted().prefix(maximumMetrics)
            for metric in metrics where Label.isValidName(metric) && !Self.isDerived(metric) {
                let expression = "\(metric){\(matchers)}"
                let yaml = "alert: \(metric)\nanomaly: '\(expression.replacingOccurrences(of: "'", with: "''"))'\n" + settings
                let rule = try AnomalyRule.parse(yaml: yaml, file: "incident scope")
                // A series with both labels is judged once.
                for finding in try rule.evaluate(at: time, source: source, engine: engine).findings where judged.insert(finding.labels).inserted {
                    findings.append(finding)
                }
            }
        }
        return findings
    }

    /// Series the rules engine and the pattern miner write about other
    /// series (alert state, anomaly bands, pattern counts): judging them
    /// would report the trigger again under another name.
    static func isDerived(_ metric: String) -> Bool {
        metric == "ALERTS" || metric == "ALERTS_FOR_STATE" || metric.hasPrefix("tributary_log_pattern")
            || [":baseline", ":upper", ":lower"].contains { metric.hasSuffix($0) }
    }

    /// A PromQL double-quoted string.
    public static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(character)
            }
        }
        return text + "\""
    }
}
