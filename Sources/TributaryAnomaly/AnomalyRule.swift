import TributaryQuery

/// An anomaly alert rule: a PromQL expression whose every series is judged
/// against its own robust baseline (docs/anomalies.md).
///
/// ```yaml
/// - alert: CheckoutMemoryAnomaly
///   anomaly: process_resident_memory_bytes{service="checkout"}
///   sensitivity: 4          # band half-width, robust standard deviations
///   min_duration: 3m        # anomalous this long before it fires
///   window: 7d              # the history the baseline is taken from
///   step: 1m                # one verdict per step
///   seasonality: auto       # auto | none | daily | weekly | a duration
///   direction: both         # both | up | down
///   counter: auto           # auto | true | false: rate() first
/// ```
public struct AnomalyRule: Sendable, Equatable {
    public var name: String
    /// The expression as written.
    public var expression: String
    /// What is judged: `expression`, or `rate(expression[rateWindow])` for a counter.
    public var judged: QueryExpr
    public var detector: AnomalyDetector
    /// The spacing of the judged points (ns).
    public var step: Int64
    /// Whether `rate()` is applied first.
    public var isCounter: Bool

    /// The most points one evaluation asks the engine for (history plus the
    /// judged span, per series): memory stays bounded whatever the file says.
    public static let maximumPoints = 20_000

    public init(name: String, expression: String, judged: QueryExpr, detector: AnomalyDetector, step: Int64, isCounter: Bool) {
        self.name = name
        self.expression = expression
        self.judged = judged
        self.detector = detector
        self.step = step
        self.isCounter = isCounter
    }

    /// How far back an evaluation looks for the start of a run (ns):
    /// the alarm's "since" is exact for runs shorter than this.
    public var judgedSpan: Int64 {
        Swift.min(detector.history, Swift.max(2 * 3_600_000_000_000, 6 * detector.minimumDuration))
    }

    /// The name of the band series written back for a judged series:
    /// `<metric>:baseline`, `:upper`, `:lower` (the rule's name when the
    /// series has no metric name, e.g. after `rate()`).
    public func bandName(for metric: String?, _ part: String) -> String {
        "\(metric.flatMap { $0.isEmpty ? nil : $0 } ?? name):\(part)"
    }
}
