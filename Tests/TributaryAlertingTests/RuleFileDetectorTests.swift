import Testing
import TributaryAnomaly
import TributaryConfig
@testable import TributaryAlerting

/// `anomaly:`, `trend:` and `patterns:` rules in rule files: read with the
/// alert's own keys, errors with file, line and key.
@Suite struct RuleFileDetectorTests {
    func read(_ rules: String) throws(ConfigError) -> [RuleKind] {
        let yaml = "groups:\n  - name: checkout\n    rules:\n" + rules
        return try RuleFile.read(try ConfigReader.parse(yaml, file: "rules.yaml", environment: [:]), path: "rules.yaml", tenant: "acme",
                                 defaultInterval: 60_000_000_000)[0].rules
    }

    func failure(_ rules: String) -> ConfigError? {
        do { _ = try read(rules); return nil } catch { return error }
    }

    @Test func anAnomalyRuleKeepsTheAlertKeysAndTheDetectorSettings() throws {
        let rules = try read("""
                  - alert: CheckoutMemoryAnomaly
                    anomaly: process_resident_memory_bytes{service="checkout"}
                    sensitivity: 5
                    min_duration: 2m
                    window: 1d
                    for: 1m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.service }} at {{ $value | humanize1024 }}B"}
            """)
        guard case .alerting(let rule) = rules.first, case .anomaly(let anomaly)? = rule.detector else {
            Issue.record("not an anomaly rule: \(rules)")
            return
        }
        #expect(rule.name == "CheckoutMemoryAnomaly" && rule.holdDuration == 60_000_000_000)
        #expect(rule.expression == #"process_resident_memory_bytes{service="checkout"}"#)
        #expect(anomaly.detector.sensitivity == 5 && anomaly.detector.minimumDuration == 120_000_000_000)
        #expect(rule.labels.map(\.name) == ["severity"] && rule.annotations.map(\.name) == ["summary"])
    }

    @Test func trendAndPatternRulesAreRead() throws {
        let rules = try read("""
                  - alert: DiskFillsUp
                    trend: node_filesystem_avail_bytes{mountpoint="/"}
                    threshold: 0
                    within: 2h
                  - alert: CheckoutLogPatterns
                    patterns: '{app="checkout"}'
                    detect: [new]
                    warm_up: 30m
            """)
        guard case .alerting(let disk) = rules[0], case .trend(let trend)? = disk.detector,
              case .alerting(let logs) = rules[1], case .patterns(let patterns)? = logs.detector else {
            Issue.record("not a trend and a patterns rule: \(rules)")
            return
        }
        #expect(trend.within == 2 * 3_600_000_000_000 && trend.threshold == 0)
        #expect(patterns.reportsNew && !patterns.reportsRate && patterns.detector.warmUp == 1_800_000_000_000)
        #expect(patterns.selector.matchers.map(\.name) == ["app"])
    }

    @Test func mistakesNameTheFileLineAndKey() {
        let sensitivity = failure("""
                  - alert: A
                    anomaly: memory_bytes
                    sensitivity: -2
            """)
        #expect(sensitivity?.description.hasPrefix("rules.yaml:6: groups[0].rules[0].sensitivity:") == true, "\(String(describing: sensitivity))")
        let both = failure("""
                  - alert: A
                    anomaly: memory_bytes
                    expr: memory_bytes > 1
            """)
        #expect(both?.description.contains("groups[0].rules[0].expr") == true && both?.description.contains("remove expr") == true,
                "\(String(describing: both))")
        let two = failure("""
                  - alert: A
                    anomaly: memory_bytes
                    trend: memory_bytes
                    threshold: 1
            """)
        #expect(two?.description.contains("not anomaly and trend") == true, "\(String(describing: two))")
        let unknown = failure("""
                  - alert: A
                    anomaly: memory_bytes
                    threshold: 3
            """)
        #expect(unknown?.description.contains("threshold: unknown key") == true, "\(String(describing: unknown))")
        let filtered = failure("""
                  - alert: A
                    patterns: '{app="x"} |= "error"'
            """)
        #expect(filtered?.description.contains("groups[0].rules[0].patterns") == true, "\(String(describing: filtered))")
        let detect = failure("""
                  - alert: A
                    patterns: '{app="x"}'
                    detect: [spikes]
            """)
        #expect(detect?.description.contains("expected a list of new and rate") == true, "\(String(describing: detect))")
    }
}
