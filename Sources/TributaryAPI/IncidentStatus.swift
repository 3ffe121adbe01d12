/// One incident as `GET /api/v1/incidents` lists it (the fields the CLI
/// prints; times in Unix seconds).
public struct IncidentStatus: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var scope: [String: String]
    public var start: Double
    public var triggeredAt: Double
    public var trigger: String
    public var explanation: [String]

    enum CodingKeys: String, CodingKey {
        case id, title, scope, start, triggeredAt = "triggered_at", trigger, explanation
    }
}
