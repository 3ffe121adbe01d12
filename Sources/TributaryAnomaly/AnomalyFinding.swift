import TributaryModel

/// One series that is outside its band now: what an anomaly rule reports
/// and an incident explains. Encoded for the API and webhook annotations
/// with labels as an object and times in Unix seconds.
public struct AnomalyFinding: Sendable, Equatable, Encodable {
    public var rule: String
    public var labels: Labels
    /// The first anomalous point of the current run (ns).
    public var since: Int64
    /// When the run had lasted the minimum duration (ns).
    public var firedAt: Int64
    /// The point judged last (ns) and its value.
    public var time: Int64
    public var value: Double
    public var baseline: Double
    public var lower: Double
    public var upper: Double
    /// Robust standard deviations from the baseline (+ above, − below).
    public var score: Double
    /// The peak score of the run.
    public var peakScore: Double
    /// The seasonal period the band used (ns), nil for the recent window.
    public var period: Int64?

    public init(rule: String, labels: Labels, since: Int64, firedAt: Int64, time: Int64, value: Double, baseline: Double,
                lower: Double, upper: Double, score: Double, peakScore: Double, period: Int64?) {
        self.rule = rule
        self.labels = labels
        self.since = since
        self.firedAt = firedAt
        self.time = time
        self.value = value
        self.baseline = baseline
        self.lower = lower
        self.upper = upper
        self.score = score
        self.peakScore = peakScore
        self.period = period
    }

    /// "rising" or "falling", from the sign of the score.
    public var movement: String { score >= 0 ? "rising" : "falling" }

    enum CodingKeys: String, CodingKey {
        case rule, labels, since, firedAt = "fired_at", time, value, baseline, lower, upper, score
        case peakScore = "peak_score", periodSeconds = "period_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), forKey: .labels)
        try container.encode(Double(since) / 1e9, forKey: .since)
        try container.encode(Double(firedAt) / 1e9, forKey: .firedAt)
        try container.encode(Double(time) / 1e9, forKey: .time)
        try container.encode(value, forKey: .value)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(lower, forKey: .lower)
        try container.encode(upper, forKey: .upper)
        try container.encode(score, forKey: .score)
        try container.encode(peakScore, forKey: .peakScore)
        try container.encodeIfPresent(period.map { $0 / 1_000_000_000 }, forKey: .periodSeconds)
    }
}
