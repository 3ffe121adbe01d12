/// One rule in `GET /api/v1/rules`, in Prometheus' shape: `type` is
/// `alerting` (with `state`, `duration`, `keepFiringFor`, `annotations`,
/// `alerts`) or `recording`.
public struct RuleStatus: Codable, Sendable, Equatable {
    public var name: String
    public var query: String
    public var type: String
    /// `ok`, `err` or `unknown` (not evaluated yet, or by another node).
    public var health: String
    public var lastError: String
    /// Seconds the last evaluation took.
    public var evaluationTime: Double
    /// RFC 3339, `0001-01-01T00:00:00Z` before the first.
    public var lastEvaluation: String
    public var labels: [String: String]
    /// Alerting rules: `inactive`, `pending` or `firing`.
    public var state: String?
    /// Alerting rules: `for`, in seconds.
    public var duration: Double?
    public var keepFiringFor: Double?
    public var annotations: [String: String]?
    public var alerts: [AlertStatus]?

    public init(name: String, query: String, type: String, health: String, lastError: String, evaluationTime: Double, lastEvaluation: String,
                labels: [String: String]) {
        self.name = name
        self.query = query
        self.type = type
        self.health = health
        self.lastError = lastError
        self.evaluationTime = evaluationTime
        self.lastEvaluation = lastEvaluation
        self.labels = labels
    }
}
