import TributaryModel

/// One candidate explanation of an incident, with its rank.
public struct IncidentEvidence: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case change, pattern, anomaly, trend
    }

    public var kind: Kind
    /// When it happened or began (ns).
    public var time: Int64
    public var labels: Labels
    /// The sentence in the explanation.
    public var text: String
    /// Scope match × time proximity × strength, in (0, 1].
    public var rank: Double
    /// Identifies it across evaluations (to merge without duplicates).
    public var key: String

    public init(kind: Kind, time: Int64, labels: Labels, text: String, rank: Double, key: String) {
        self.kind = kind
        self.time = time
        self.labels = labels
        self.text = text
        self.rank = rank
        self.key = key
    }

    enum CodingKeys: String, CodingKey {
        case kind, time, labels, text, rank
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(Double(time) / 1e9, forKey: .time)
        try container.encode(Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), forKey: .labels)
        try container.encode(text, forKey: .text)
        try container.encode((rank * 1_000).rounded() / 1_000, forKey: .rank)
    }
}
