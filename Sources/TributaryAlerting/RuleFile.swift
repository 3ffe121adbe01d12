import Foundation
import TributaryAnomaly
import TributaryConfig
import TributaryModel
import TributaryQuery

/// Reads a rule file in Prometheus' format, with the strictness of every
/// other configuration file: unknown keys, bad durations, expressions that
/// do not parse, templates that cannot render and duplicate names are
/// errors naming the file, the line and the key path
/// (`rules.yaml:12: groups[0].rules[1].expr: …`).
///
/// ```yaml
/// groups:
///   - name: checkout
///     interval: 30s                 # default: alerting.evaluation_interval (1m)
///     labels: {team: shop}          # optional, added to every rule's output
///     limit: 1000                   # optional: a rule returning more series fails
///     rules:
///       - record: job:http_errors:rate5m
///         expr: sum by (job) (rate(http_errors_total[5m]))
///       - alert: HighErrorRate
///         expr: job:http_errors:rate5m > 0.5
///         for: 5m
///         keep_firing_for: 2m
///         labels: {severity: page}
///         annotations:
///           summary: "{{ $labels.job }} fails {{ $value | humanize }} requests/s"
/// ```
public enum RuleFile {
    /// Reads `path` for `tenant`; groups without `interval` use `defaultInterval` (ns).
    public static func load(path: String, tenant: String, defaultInterval: Int64) throws(ConfigError) -> [RuleGroup] {
        let reader = try ConfigReader.load(path: path, environment: [:])
        return try read(reader, path: path, tenant: tenant, defaultInterval: defaultInterval)
    }

    public static func read(_ reader: ConfigReader, path: String, tenant: String, defaultInterval: Int64) throws(ConfigError) -> [RuleGroup] {
        guard reader.contains("groups") else {
            throw reader.error(nil, "groups: is required: a list of rule groups, each with a name and rules (Prometheus' rule file format)")
        }
        var groups: [RuleGroup] = []
        var names: Set<String> = []
        for section in try reader.sections("groups") {
            let name = try section.requiredString("name", expected: "the group's name, unique in the file")
            guard names.insert(name).inserted else {
                throw section.error("name", "group \"\(name)\" is defined twice in this file; group names must be unique")
            }
            var interval = defaultInterval
            if let text = try section.string("interval") {
                guard let parsed = PrometheusDuration.parse(text), parsed >= 1_000_000_000 else {
                    throw section.error("interval", "expected a duration of at least 1s such as 30s, 1m or 1h30m, found \"\(text)\"")
                }
                interval = parsed
            }
            var rules: [RuleKind] = []
            for rule in try section.sections("rules") { rules.append(try readRule(rule)) }
            var group = RuleGroup(name: name, file: path, tenant: tenant, interval: interval, rules: rules)
            group.labels = try labels(section, "labels")
            group.limit = try section.int("limit", default: 0, range: 0...10_000_000)
            try section.finish()
            groups.append(group)
        }
        try reader.finish()
        return groups
    }

    private static func readRule(_ rule: ConfigReader) throws(ConfigError) -> RuleKind {
        let alert = try rule.string("alert")
        let record = try rule.string("record")
        guard (alert == nil) != (record == nil) else {
            throw rule.error(nil, alert == nil ? "a rule needs alert: (an alerting rule) or record: (a recording rule)"
                                               : "a rule has either alert: or record:, not both")
        }
        if let alert, rule.contains("anomaly") || rule.contains("trend") || rule.contains("patterns") {
            return .alerting(try detectorRule(rule, name: alert))
        }
        let text = try rule.requiredString("expr", expected: "the PromQL or LogQL metric query to evaluate (or anomaly: / trend: with a selector)")
        let query: QueryExpr
        do {
            query = try QueryExpr.parse(text, language: .auto)
        } catch {
            throw rule.error("expr", "\(error) in \"\(text)\"")
        }
        switch query.type {
        case .vector, .scalar: break
        case .logs:
            throw rule.error("expr", "\"\(text)\" is a log query; rules need a metric query, e.g. sum by (app) (count_over_time(\(text) [5m]))")
        case .matrix, .string:
            throw rule.error("expr", "\"\(text)\" evaluates to a \(query.type.documentedName); rules need an instant vector or a scalar")
        }
        if let record {
            guard isMetricName(record) else {
                throw rule.error("record", "\"\(record)\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)")
            }
            for key in ["for", "keep_firing_for", "annotations"] where rule.contains(key) {
                throw rule.error(key, "only alerting rules (alert:) take \(key); a recording rule has record, expr and labels")
            }
            var recording = RecordingRule(name: record, expression: text, query: query)
            recording.labels = try labels(rule, "labels")
            try rule.finish()
            return .recording(recording)
        }
        let name = alert ?? ""
        var alerting = AlertingRule(name: name, expression: text, query: query)
        alerting.holdDuration = try duration(rule, "for")
        alerting.keepFiringFor = try duration(rule, "keep_firing_for")
        alerting.labels = try templates(rule, "labels", checkNames: true)
        alerting.annotations = try templates(rule, "annotations", checkNames: false)
        try rule.finish()
        return .alerting(alerting)
    }

    /// `alert:` with `anomaly:` or `trend:` instead of `expr:`: the
    /// detector's keys are read by its own type (docs/anomalies.md), the
    /// alert's (`for`, `labels`, `annotations`, …) here.
    private static func detectorRule(_ rule: ConfigReader, name: String) throws(ConfigError) -> AlertingRule {
        let kinds = ["anomaly", "trend", "patterns"].filter { rule.contains($0) }
        if kinds.count > 1 {
            throw rule.error(kinds[1], "a rule has one of anomaly:, trend: or patterns:, not \(kinds.joined(separator: " and "))")
        }
        if rule.contains("expr") {
            throw rule.error("expr", "a\(kinds[0] == "anomaly" ? "n" : "") \(kinds[0]) rule judges the series of its own key; remove expr:")
        }
        let detector: AlertDetector
        let text: String
        if rule.contains("patterns") {
            let patterns = try PatternRule(reading: rule)
            text = try rule.requiredString("patterns", expected: "a stream selector")
            var alerting = AlertingRule(name: name, expression: text, query: .logs(patterns.selector))
            alerting.detector = .patterns(patterns)
            return try finishDetectorRule(rule, alerting)
        } else if rule.contains("anomaly") {
            let anomaly = try AnomalyRule(name: name, reading: rule)
            detector = .anomaly(anomaly)
            text = anomaly.expression
        } else {
            text = try rule.requiredString("trend", expected: "a PromQL expression")
            detector = .trend(try TrendRule(name: name, reading: rule))
        }
        let query: QueryExpr
        do {
            query = try QueryExpr.parse(text, language: .promql)
        } catch {
            throw rule.error(detector.kind, "\(error) in \"\(text)\"")
        }
        var alerting = AlertingRule(name: name, expression: text, query: query)
        alerting.detector = detector
        return try finishDetectorRule(rule, alerting)
    }

    /// The alert's own keys of a detector rule.
    private static func finishDetectorRule(_ rule: ConfigReader, _ detectorRule: AlertingRule) throws(ConfigError) -> AlertingRule {
        var alerting = detectorRule
        alerting.holdDuration = try duration(rule, "for")
        alerting.keepFiringFor = try duration(rule, "keep_firing_for")
        alerting.labels = try templates(rule, "labels", checkNames: true)
        alerting.annotations = try templates(rule, "annotations", checkNames: false)
        try rule.finish()
        return alerting
    }

    private static func duration(_ rule: ConfigReader, _ key: String) throws(ConfigError) -> Int64 {
        guard let text = try rule.string(key) else { return 0 }
        guard let value = PrometheusDuration.parse(text) else {
            throw rule.error(key, "expected a duration such as 0s, 30s, 5m or 1h30m, found \"\(text)\"")
        }
        return value
    }

    private static func labels(_ owner: ConfigReader, _ key: String) throws(ConfigError) -> [(name: String, value: String)] {
        guard let section = try owner.section(key) else { return [] }
        var pairs: [(name: String, value: String)] = []
        for name in section.keys {
            guard Label.isValidName(name), name != "__name__" else {
                throw section.error(name, "\"\(name)\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not __name__)")
            }
            pairs.append((name, try section.string(name) ?? ""))
        }
        try section.finish()
        return pairs
    }

    private static func templates(_ owner: ConfigReader, _ key: String, checkNames: Bool) throws(ConfigError) -> [(name: String, value: AlertTemplate)] {
        guard let section = try owner.section(key) else { return [] }
        var pairs: [(name: String, value: AlertTemplate)] = []
        for name in section.keys {
            if checkNames, !Label.isValidName(name) || name == "__name__" || name == "alertname" {
                throw section.error(name, "\"\(name)\" is not a label an alert may set ([a-zA-Z_][a-zA-Z0-9_]*, not __name__ or alertname)")
            }
            let text = try section.string(name) ?? ""
            do {
                pairs.append((name, try AlertTemplate(text)))
            } catch {
                throw section.error(name, "\(error) in \"\(text)\"")
            }
        }
        try section.finish()
        return pairs
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, Prometheus' metric names.
    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 58 }
    }
}
