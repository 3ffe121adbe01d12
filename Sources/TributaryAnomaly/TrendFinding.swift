import TributaryModel

/// A series whose robust trend reaches a threshold within the rule's
/// horizon ("will cross X within T"). Times in Unix seconds when encoded.
public struct TrendFinding: Sendable, Equatable, Encodable {
    public var rule: String
    public var labels: Labels
    public var time: Int64
    /// The fitted level at `time`.
    public var level: Double
    /// Units per second.
    public var slope: Double
    public var threshold: Double
    /// When the trend reaches the threshold (ns); `time` when it already has.
    public var crossesAt: Int64

    public init(rule: String, labels: Labels, time: Int64, level: Double, slope: Double, threshold: Double, crossesAt: Int64) {
        self.rule = rule
        self.labels = labels
        self.time = time
        self.level = level
        self.slope = slope
        self.threshold = threshold
        self.crossesAt = crossesAt
    }

    enum CodingKeys: String, CodingKey {
        case rule, labels, time, level, slope = "slope_per_s", threshold, crossesAt = "crosses_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), forKey: .labels)
        try container.encode(Double(time) / 1e9, forKey: .time)
        try container.encode(level, forKey: .level)
        try container.encode(slope, forKey: .slope)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(Double(crossesAt) / 1e9, forKey: .crossesAt)
    }
}
