import TributaryModel

/// A pattern that is new or whose rate left its band, found by
/// `PatternAnomalyDetector` over pattern count series.
public struct PatternFinding: PatternEvidence, Equatable, Encodable {
    public var pattern: String
    public var labels: Labels
    public var firstSeen: Int64
    public var changedAt: Int64
    public var rateBefore: Double
    public var rateAfter: Double
    public var isNew: Bool

    public init(pattern: String, labels: Labels, firstSeen: Int64, changedAt: Int64, rateBefore: Double, rateAfter: Double, isNew: Bool) {
        self.pattern = pattern
        self.labels = labels
        self.firstSeen = firstSeen
        self.changedAt = changedAt
        self.rateBefore = rateBefore
        self.rateAfter = rateAfter
        self.isNew = isNew
    }

    enum CodingKeys: String, CodingKey {
        case pattern, labels, firstSeen = "first_seen", changedAt = "changed_at", rateBefore = "rate_before"
        case rateAfter = "rate_after", isNew = "new", movement
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pattern, forKey: .pattern)
        try container.encode(Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), forKey: .labels)
        try container.encode(Double(firstSeen) / 1e9, forKey: .firstSeen)
        try container.encode(Double(changedAt) / 1e9, forKey: .changedAt)
        try container.encode(rateBefore, forKey: .rateBefore)
        try container.encode(rateAfter, forKey: .rateAfter)
        try container.encode(isNew, forKey: .isNew)
        try container.encode(movement, forKey: .movement)
    }
}
