import TributaryConfig
import TributaryQuery

extension AnomalyRule {
    /// The keys this rule type reads (besides the rules' own `alert`,
    /// `labels`, `annotations`).
    public static let keys = ["anomaly", "sensitivity", "min_duration", "window", "step", "seasonality", "direction", "counter", "rate_window"]

    /// Reads the anomaly keys of one rule mapping; the caller reads its own
    /// keys (`alert`, `labels`, …) and calls `finish()`. Errors name the
    /// file, key and line, and say what a good value looks like.
    public init(name: String, reading rule: ConfigReader) throws(ConfigError) {
        let expression = try rule.requiredString("anomaly", expected: "a PromQL expression such as process_resident_memory_bytes{service=\"checkout\"}")
        let parsed: QueryExpr
        do {
            parsed = try QueryExpr.parse(expression, language: .promql)
        } catch {
            throw rule.error("anomaly", "not a PromQL expression: \(error)")
        }
        guard parsed.type == .vector else {
            throw rule.error("anomaly", "must give an instant vector (a selector such as up{job=\"api\"} or rate(x[5m])), not a \(parsed.type)")
        }
        let sensitivityText = try rule.string("sensitivity") ?? "4"
        guard let sensitivity = Double(sensitivityText), sensitivity.isFinite, sensitivity > 0, sensitivity <= 100 else {
            throw rule.error("sensitivity", "expected a number of robust standard deviations from 0 to 100 such as 4 (higher: fewer alarms), found \"\(sensitivityText)\"")
        }
        let minimumDuration = try Self.nanoseconds(rule, "min_duration", default: .seconds(180))
        let window = try Self.nanoseconds(rule, "window", default: .seconds(7 * 86_400))
        let step = try Self.nanoseconds(rule, "step", default: .seconds(60))
        let rateWindow = try Self.nanoseconds(rule, "rate_window", default: .seconds(300))
        guard step > 0 else { throw rule.error("step", "must be longer than 0, such as 1m") }
        guard rateWindow > 0 else { throw rule.error("rate_window", "must be longer than 0, such as 5m") }
        guard window >= 10 * step else {
            throw rule.error("window", "must hold at least 10 steps for a baseline (window \(window / 1_000_000_000)s, step \(step / 1_000_000_000)s): make it longer or the step shorter")
        }
        guard minimumDuration < window else { throw rule.error("min_duration", "must be shorter than the window") }
        let seasonalityText = try rule.string("seasonality") ?? "auto"
        guard let seasonality = Seasonality(text: seasonalityText, duration: { ConfigUnits.duration($0)?.nanoseconds }) else {
            throw rule.error("seasonality", "expected auto, none, daily, weekly or a period such as 12h, found \"\(seasonalityText)\"")
        }
        if case .period(let period) = seasonality, period > window {
            throw rule.error("seasonality", "a period of \(seasonality) needs a window of at least that long (window is \(window / 1_000_000_000)s); seven periods or more give a steadier band")
        }
        if case .period(let period) = seasonality, window / period > BaselineEstimator.maximumCycles {
            throw rule.error("seasonality", "a period of \(seasonality) repeats more than \(BaselineEstimator.maximumCycles) times in the window: use a longer period")
        }
        let directionText = try rule.string("direction") ?? "both"
        guard let direction = AnomalyDirection(rawValue: directionText) else {
            throw rule.error("direction", "expected both, up or down, found \"\(directionText)\"")
        }
        let counterText = try rule.string("counter") ?? "auto"
        let isCounter: Bool
        switch counterText {
        case "auto": isCounter = Self.looksLikeCounter(parsed)
        case "true", "yes": isCounter = true
        case "false", "no": isCounter = false
        default: throw rule.error("counter", "expected auto, true or false, found \"\(counterText)\"")
        }
        var detector = AnomalyDetector(sensitivity: sensitivity, minimumDuration: minimumDuration, history: window,
                                       seasonality: seasonality, direction: direction)
        detector.maximumGap = Swift.max(detector.maximumGap, 3 * step)
        var judged = parsed
        if isCounter {
            guard case .vector(let selector) = parsed else {
                throw rule.error("counter", "rate() is applied to a plain selector only; write the rate yourself in `anomaly` (rate(x[5m])) and set counter: false")
            }
            judged = .call(function: "rate", arguments: [.matrix(selector, range: rateWindow)])
        }
        self.init(name: name, expression: expression, judged: judged, detector: detector, step: step, isCounter: isCounter)
        let (points, overflow) = (window + judgedSpan).dividedReportingOverflow(by: step)
        guard !overflow, points <= Int64(Self.maximumPoints) else {
            throw rule.error("step", "window plus \(judgedSpan / 60_000_000_000)m at this step is more than \(Self.maximumPoints) points per series: make the step longer (such as \(Self.suggestedStep(window + judgedSpan) / 60_000_000_000)m) or the window shorter")
        }
    }

    /// Parses a rule from YAML alone (`alert` plus the anomaly keys), for
    /// tests and tools; unknown keys are refused.
    public static func parse(yaml: String, file: String = "rule.yaml") throws(ConfigError) -> AnomalyRule {
        let reader = try ConfigReader.parse(yaml, file: file, environment: [:])
        let name = try reader.requiredString("alert", expected: "the alert's name, such as CheckoutMemoryAnomaly")
        let rule = try AnomalyRule(name: name, reading: reader)
        try reader.finish()
        return rule
    }

    /// A bare selector of a metric named like a Prometheus counter.
    static func looksLikeCounter(_ expr: QueryExpr) -> Bool {
        guard case .vector(let selector) = expr,
              let name = selector.name ?? selector.matchers.first(where: { $0.name == "__name__" && $0.op == .equal })?.value else { return false }
        return ["_total", "_count", "_sum", "_bucket"].contains { name.hasSuffix($0) }
    }

    public static func nanoseconds(_ rule: ConfigReader, _ key: String, default fallback: Duration) throws(ConfigError) -> Int64 {
        let duration = try rule.duration(key, default: fallback)
        guard let nanoseconds = duration.nanoseconds else { throw rule.error(key, "is too long (at most a few centuries)") }
        return nanoseconds
    }

    static func suggestedStep(_ span: Int64) -> Int64 {
        let minute: Int64 = 60_000_000_000
        let needed = span / Int64(maximumPoints) + 1
        return (needed + minute - 1) / minute * minute
    }
}
