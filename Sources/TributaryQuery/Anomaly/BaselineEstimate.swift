/// The expected value of a series at one time and how far from it a value
/// may stray: the band a chart draws and an anomaly rule compares with.
public struct BaselineEstimate: Sendable, Equatable {
    /// The median of the reference values.
    public var baseline: Double
    /// A robust standard deviation of the reference values (> 0).
    public var spread: Double
    /// How many reference values it was computed from.
    public var samples: Int
    /// The seasonal period used (ns), nil when the reference was the recent window.
    public var period: Int64?

    public init(baseline: Double, spread: Double, samples: Int, period: Int64?) {
        self.baseline = baseline
        self.spread = spread
        self.samples = samples
        self.period = period
    }

    public func upper(sensitivity: Double) -> Double { baseline + sensitivity * spread }
    public func lower(sensitivity: Double) -> Double { baseline - sensitivity * spread }

    /// How many robust standard deviations `value` is above (+) or below (−)
    /// the baseline.
    public func score(of value: Double) -> Double { (value - baseline) / spread }
}
