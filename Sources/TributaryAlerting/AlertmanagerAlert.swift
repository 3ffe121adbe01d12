/// One alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`,
/// a JSON array of these; `postableAlert` in its OpenAPI spec).
public struct AlertmanagerAlert: Codable, Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// RFC 3339.
    public var startsAt: String
    /// RFC 3339: in the future while firing (Alertmanager resolves it by
    /// itself if no resend arrives by then), the resolution time once resolved.
    public var endsAt: String
    public var generatorURL: String

    public init(labels: [String: String], annotations: [String: String], startsAt: String, endsAt: String, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}
