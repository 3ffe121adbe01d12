import TributaryAnomaly
import TributaryConfig
import TributaryQuery

/// The built-in log-pattern anomalies as an alert rule: for the pattern
/// groups a stream selector matches, one alert per pattern that is new
/// (first seen after the stream's warm-up, for `recent`) or whose rate
/// jumped or dropped far outside its own baseline.
///
/// ```yaml
/// - alert: CheckoutLogPatterns
///   patterns: '{app="checkout"}'   # the streams whose patterns are judged
///   detect: [new, rate]            # default both
///   warm_up: 1h                    # patterns of the stream's first hour are its vocabulary
///   recent: 1h                     # a new pattern alerts this long after it appeared
///   sensitivity: 6                 # rate changes: band half-width, robust σ (default 6)
/// ```
/// Alert labels: the group's (`app` or `service`), `pattern_id`, `pattern`
/// (the template) and `change` (`new` or `rate`); the value is the lines
/// per second now.
public struct PatternRule: Sendable, Equatable {
    public var selector: LogSelectorExpr
    public var detector: PatternAnomalyDetector
    public var reportsNew: Bool
    public var reportsRate: Bool

    public static let keys = ["patterns", "detect", "warm_up", "recent", "sensitivity"]

    public init(reading rule: ConfigReader) throws(ConfigError) {
        let text = try rule.requiredString("patterns", expected: "a stream selector such as {app=\"checkout\"}")
        let parsed: QueryExpr
        do {
            parsed = try QueryExpr.parse(text, language: .logql)
        } catch {
            throw rule.error("patterns", "not a stream selector: \(error)")
        }
        guard case .logs(let selector) = parsed, selector.stages.isEmpty else {
            throw rule.error("patterns", "expected a plain stream selector such as {app=\"checkout\"}, without filters, found \"\(text)\"")
        }
        var kinds: Set<String> = ["new", "rate"]
        if rule.contains("detect") {
            kinds = Set(try rule.stringList("detect", expected: "a list of new and rate"))
            guard !kinds.isEmpty, kinds.isSubset(of: ["new", "rate"]) else {
                throw rule.error("detect", "expected a list of new and rate, such as [new, rate], found \(kinds.sorted())")
            }
        }
        let warmUp = try AnomalyRule.nanoseconds(rule, "warm_up", default: .seconds(3_600))
        let recent = try AnomalyRule.nanoseconds(rule, "recent", default: .seconds(3_600))
        guard recent > 0 else { throw rule.error("recent", "must be longer than 0, such as 1h") }
        let sensitivityText = try rule.string("sensitivity") ?? "6"
        guard let sensitivity = Double(sensitivityText), sensitivity.isFinite, sensitivity > 0, sensitivity <= 100 else {
            throw rule.error("sensitivity", "expected a number of robust standard deviations from 0 to 100 such as 6, found \"\(sensitivityText)\"")
        }
        var detector = PatternAnomalyDetector(warmUp: warmUp, recent: recent)
        detector.detector.sensitivity = sensitivity
        self.selector = selector
        self.detector = detector
        reportsNew = kinds.contains("new")
        reportsRate = kinds.contains("rate")
    }
}
