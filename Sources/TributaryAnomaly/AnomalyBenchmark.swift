import TributaryModel
import TributaryQuery

/// Runs the synthetic suite through the path a rule takes: the series are
/// loaded into an in-memory `QuerySource`, the rule's expression is
/// evaluated by the query engine (counters through `rate()`), and the
/// detector judges each point with only the history before it.
public struct AnomalyBenchmark: Sendable {
    /// Rule keys added to every case's rule (YAML lines such as
    /// `sensitivity: 3`); empty: the defaults of an `anomaly:` rule
    /// (sensitivity 4, min_duration 3m, window 7d, step 1m, seasonality
    /// auto, counter auto). One configuration for all cases.
    public var settings: String

    public init(settings: String = "") {
        self.settings = settings
    }

    public func run(cases: [SyntheticCase] = SyntheticSuite.cases()) throws -> AnomalyBenchmarkReport {
        var results: [AnomalyCaseResult] = []
        for one in cases {
            results.append(try run(one))
        }
        return AnomalyBenchmarkReport(cases: results)
    }

    /// Seconds to draw a band: `anomaly_upper(x[7d], 4)` as a range query
    /// over the two judged days at one-minute steps (2,880 steps, each over
    /// ~10,000 points of history), for one series of the suite.
    public func bandQuerySeconds() throws -> Double {
        guard let one = SyntheticSuite.cases().first(where: { $0.name == "step_up" }) else { return 0 }
        let source = SeriesMemorySource([one.series])
        let expr = try QueryExpr.parse("anomaly_upper(anomaly_bench_value[7d], 4)", language: .promql)
        let steps = QuerySteps(start: SyntheticSuite.judgedFrom, end: SyntheticSuite.judgedTo, step: SyntheticSuite.minute)
        let started = ContinuousClock.now
        _ = try QueryEngine().range(expr, steps: steps, source: source)
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func run(_ one: SyntheticCase) throws -> AnomalyCaseResult {
        // The rule names the case's own series (and its metric, so `counter: auto` sees a counter's name).
        let yaml = "alert: Bench\nanomaly: '\(one.metric){case=\"\(one.name)\"}'\n" + settings
        let rule = try AnomalyRule.parse(yaml: yaml, file: "bench rule")
        let source = SeriesMemorySource([one.series])
        let found = try rule.alarms(from: SyntheticSuite.judgedFrom, to: SyntheticSuite.judgedTo, source: source)
        let alarms = found.flatMap(\.alarms)
        var detected = 0
        var delays: [Double] = []
        for anomaly in one.anomalies {
            if let first = alarms.filter(anomaly.isDetected).map(\.firedAt).min() {
                detected += 1
                delays.append(Double(first - anomaly.start) / 1e9)
            }
        }
        let trueAlarms = alarms.filter { alarm in one.anomalies.contains { $0.explains(alarm) } }.count
        return AnomalyCaseResult(name: one.name, events: one.anomalies.count, detected: detected, alarms: alarms.count,
                                 trueAlarms: trueAlarms, delaysSeconds: delays)
    }
}
