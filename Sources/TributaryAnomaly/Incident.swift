import TributaryModel

/// One incident: what fired, in which scope, since when, and the ranked
/// evidence that explains it. The shape of `GET /api/v1/incidents` items
/// (times in Unix seconds) and of the alert's `incident` annotation.
public struct Incident: Sendable, Equatable, Encodable {
    /// Stable for one scope and start: "inc-" and 16 hex digits.
    public var id: String
    public var title: String
    public var scope: IncidentScope
    /// When the problem began (ns): the trigger's "since".
    public var start: Int64
    /// When it was raised (ns).
    public var triggeredAt: Int64
    public var trigger: String
    public var triggerLabels: Labels
    /// The explanation, first line the trigger's, then the evidence's by rank.
    public var explanation: [String]
    public var evidence: [IncidentEvidence]

    public init(id: String, title: String, scope: IncidentScope, start: Int64, triggeredAt: Int64, trigger: String,
                triggerLabels: Labels, explanation: [String], evidence: [IncidentEvidence]) {
        self.id = id
        self.title = title
        self.scope = scope
        self.start = start
        self.triggeredAt = triggeredAt
        self.trigger = trigger
        self.triggerLabels = triggerLabels
        self.explanation = explanation
        self.evidence = evidence
    }

    /// The explanation as one annotation value: lines joined by "; ".
    public var annotation: String { explanation.joined(separator: "; ") }

    enum CodingKeys: String, CodingKey {
        case id, title, scope, start, triggeredAt = "triggered_at", trigger, triggerLabels = "trigger_labels", explanation, evidence
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(scope.dictionary, forKey: .scope)
        try container.encode(Double(start) / 1e9, forKey: .start)
        try container.encode(Double(triggeredAt) / 1e9, forKey: .triggeredAt)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(Dictionary(triggerLabels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), forKey: .triggerLabels)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(evidence, forKey: .evidence)
    }

    /// A stable id from the scope and the start minute (FNV-1a).
    static func id(scope: IncidentScope, start: Int64) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = scope.pairs.map(\.description).joined(separator: ",") + "@" + String(start / 60_000_000_000)
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "inc-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
