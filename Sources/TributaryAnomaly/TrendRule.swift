import TributaryConfig
import TributaryModel
import TributaryQuery

/// An exhaustion rule: "the disk will be full within 4 hours", from a
/// robust (Theil–Sen) line through the window, so one spike does not
/// raise it the way least squares (`predict_linear`) can.
///
/// ```yaml
/// - alert: RootDiskFillsUp
///   trend: node_filesystem_avail_bytes{mountpoint="/"}
///   threshold: 0            # the value that must not be reached
///   within: 4h              # horizon
///   window: 6h              # the points the line is fitted to
///   step: 1m
/// ```
/// It fires for a series whose line reaches `threshold` from its current
/// side within `within` (or has reached it).
public struct TrendRule: Sendable, Equatable {
    public var name: String
    public var expression: QueryExpr
    public var threshold: Double
    public var within: Int64
    public var window: Int64
    public var step: Int64

    public init(name: String, expression: QueryExpr, threshold: Double, within: Int64, window: Int64, step: Int64) {
        self.name = name
        self.expression = expression
        self.threshold = threshold
        self.within = within
        self.window = window
        self.step = step
    }

    public static let keys = ["trend", "threshold", "within", "window", "step"]

    /// Reads the trend keys of one rule mapping (the caller reads its own and calls `finish()`).
    public init(name: String, reading rule: ConfigReader) throws(ConfigError) {
        let text = try rule.requiredString("trend", expected: "a PromQL expression such as node_filesystem_avail_bytes{mountpoint=\"/\"}")
        let parsed: QueryExpr
        do {
            parsed = try QueryExpr.parse(text, language: .promql)
        } catch {
            throw rule.error("trend", "not a PromQL expression: \(error)")
        }
        guard parsed.type == .vector else { throw rule.error("trend", "must give an instant vector, not a \(parsed.type)") }
        let thresholdText = try rule.requiredString("threshold", expected: "the value that must not be reached, such as 0")
        guard let threshold = Double(thresholdText), threshold.isFinite else {
            throw rule.error("threshold", "expected a number such as 0 or 0.9, found \"\(thresholdText)\"")
        }
        let within = try AnomalyRule.nanoseconds(rule, "within", default: .seconds(4 * 3_600))
        let window = try AnomalyRule.nanoseconds(rule, "window", default: .seconds(6 * 3_600))
        let step = try AnomalyRule.nanoseconds(rule, "step", default: .seconds(60))
        guard within > 0 else { throw rule.error("within", "must be longer than 0, such as 4h") }
        guard step > 0, window >= 10 * step else { throw rule.error("window", "must hold at least 10 steps (a longer window or a shorter step)") }
        guard window / step <= Int64(AnomalyRule.maximumPoints) else {
            throw rule.error("step", "the window holds more than \(AnomalyRule.maximumPoints) steps: make the step longer")
        }
        self.init(name: name, expression: parsed, threshold: threshold, within: within, window: window, step: step)
    }

    public static func parse(yaml: String, file: String = "rule.yaml") throws(ConfigError) -> TrendRule {
        let reader = try ConfigReader.parse(yaml, file: file, environment: [:])
        let name = try reader.requiredString("alert", expected: "the alert's name, such as RootDiskFillsUp")
        let rule = try TrendRule(name: name, reading: reader)
        try reader.finish()
        return rule
    }

    /// The series whose trend reaches the threshold within the horizon at `time`.
    public func evaluate(at time: Int64, source: any QuerySource, engine: QueryEngine = QueryEngine()) throws -> [TrendFinding] {
        let (start, overflow) = time.subtractingReportingOverflow(window)
        guard !overflow else { throw QueryEvaluationError("the evaluation time is too early for the window") }
        let result = try engine.range(expression, steps: QuerySteps(start: start, end: time, step: step), source: source)
        guard case .matrix(let series) = result else { return [] }
        var findings: [TrendFinding] = []
        for one in series {
            guard let last = one.values.last, last.isFinite,
                  let fit = RobustSlope.fit(timestamps: one.timestamps, values: one.values, reference: time),
                  let crossing = fit.crossing(threshold, startingAbove: last > threshold || (last == threshold && fit.slope < 0)) else { continue }
            let (horizon, horizonOverflow) = time.addingReportingOverflow(within)
            guard horizonOverflow || crossing <= horizon else { continue }
            findings.append(TrendFinding(rule: name, labels: one.labels, time: time, level: fit.level, slope: fit.slope,
                                         threshold: threshold, crossesAt: crossing))
        }
        return findings
    }
}
