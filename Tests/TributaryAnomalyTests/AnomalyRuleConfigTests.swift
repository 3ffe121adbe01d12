import Testing
import TributaryConfig
import TributaryQuery
@testable import TributaryAnomaly

/// `anomaly:` and `trend:` rules read from YAML, and the errors an operator sees.
@Suite struct AnomalyRuleConfigTests {
    @Test func defaultsAreTheBenchmarkedConfiguration() throws {
        let rule = try AnomalyRule.parse(yaml: "alert: Memory\nanomaly: process_resident_memory_bytes{service=\"checkout\"}\n")
        #expect(rule.name == "Memory")
        #expect(rule.detector.sensitivity == 4)
        #expect(rule.detector.minimumDuration == 180_000_000_000)
        #expect(rule.detector.history == 7 * 86_400_000_000_000)
        #expect(rule.detector.seasonality == .auto)
        #expect(rule.detector.direction == .both)
        #expect(rule.step == 60_000_000_000)
        #expect(!rule.isCounter)
    }

    @Test func everyKeyIsRead() throws {
        let rule = try AnomalyRule.parse(yaml: """
            alert: Latency
            anomaly: histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))
            sensitivity: 2.5
            min_duration: 10m
            window: 2d
            step: 30s
            seasonality: daily
            direction: up
            counter: false
            """)
        #expect(rule.detector.sensitivity == 2.5)
        #expect(rule.detector.minimumDuration == 600_000_000_000)
        #expect(rule.detector.history == 2 * 86_400_000_000_000)
        #expect(rule.detector.seasonality == .daily)
        #expect(rule.detector.direction == .up)
        #expect(rule.step == 30_000_000_000)
    }

    @Test func counterNamesAreJudgedAsRates() throws {
        let rule = try AnomalyRule.parse(yaml: "alert: Requests\nanomaly: http_requests_total{service=\"checkout\"}\nrate_window: 2m\n")
        #expect(rule.isCounter)
        guard case .call(let function, let arguments) = rule.judged, case .matrix(_, let range) = arguments.first else {
            Issue.record("not wrapped in rate(): \(rule.judged)")
            return
        }
        #expect(function == "rate")
        #expect(range == 120_000_000_000)
        let forced = try AnomalyRule.parse(yaml: "alert: Gauge\nanomaly: queue_depth\ncounter: true\n")
        #expect(forced.isCounter)
    }

    static func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try AnomalyRule.parse(yaml: yaml, file: "rules.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func badValuesNameTheKeyTheLineAndTheFix() throws {
        let sensitivity = try #require(Self.error("alert: A\nanomaly: up\nsensitivity: -2\n"))
        #expect(sensitivity.path == "sensitivity")
        #expect(sensitivity.line == 3)
        #expect(sensitivity.message.contains("robust standard deviations"))
        let expression = try #require(Self.error("alert: A\nanomaly: up{\n"))
        #expect(expression.path == "anomaly")
        #expect(expression.message.contains("not a PromQL expression"))
        let matrix = try #require(Self.error("alert: A\nanomaly: up[5m]\n"))
        #expect(matrix.message.contains("instant vector"))
        let season = try #require(Self.error("alert: A\nanomaly: up\nseasonality: hourly-ish\n"))
        #expect(season.message.contains("auto, none, daily, weekly"))
        let direction = try #require(Self.error("alert: A\nanomaly: up\ndirection: sideways\n"))
        #expect(direction.path == "direction")
        let missing = try #require(Self.error("alert: A\nsensitivity: 3\n"))
        #expect(missing.path == "anomaly")
        #expect(missing.message.contains("is required"))
    }

    @Test func typosAndUnknownKeysAreRefused() throws {
        let typo = try #require(Self.error("alert: A\nanomaly: up\nsensitivty: 3\n"))
        #expect(typo.message.contains("did you mean `sensitivity`"))
    }

    @Test func windowsThatWouldLoadTooManyPointsAreRefusedWithAStepThatFits() throws {
        let error = try #require(Self.error("alert: A\nanomaly: up\nwindow: 30d\nstep: 1m\n"))
        #expect(error.path == "step")
        #expect(error.message.contains("make the step longer (such as 3m)"))
        #expect(throws: Never.self) { _ = try AnomalyRule.parse(yaml: "alert: A\nanomaly: up\nwindow: 30d\nstep: 3m\n") }
        let short = try #require(Self.error("alert: A\nanomaly: up\nwindow: 5m\n"))
        #expect(short.path == "window")
        let period = try #require(Self.error("alert: A\nanomaly: up\nwindow: 12h\nseasonality: weekly\n"))
        #expect(period.path == "seasonality")
    }

    @Test func trendRulesAreReadAndChecked() throws {
        let rule = try TrendRule.parse(yaml: "alert: Disk\ntrend: node_filesystem_avail_bytes\nthreshold: 0\nwithin: 2h\n")
        #expect(rule.threshold == 0)
        #expect(rule.within == 7_200_000_000_000)
        #expect(rule.window == 21_600_000_000_000)
        #expect(throws: ConfigError.self) { _ = try TrendRule.parse(yaml: "alert: Disk\ntrend: x\n") }
        #expect(throws: ConfigError.self) { _ = try TrendRule.parse(yaml: "alert: Disk\ntrend: x\nthreshold: full\n") }
        #expect(throws: ConfigError.self) { _ = try TrendRule.parse(yaml: "alert: Disk\ntrend: x\nthreshold: 0\nwithin: 0s\n") }
    }
}
