/// One group in `GET /api/v1/rules` (Prometheus' shape), plus the node
/// that evaluates it (`evaluatedBy`): in a cluster each group has one
/// owner, and only the owner lists the group's alerts.
public struct RuleGroupStatus: Codable, Sendable, Equatable {
    public var name: String
    public var file: String
    /// Seconds between evaluations.
    public var interval: Double
    public var limit: Int
    public var rules: [RuleStatus]
    public var evaluationTime: Double
    public var lastEvaluation: String
    public var evaluatedBy: String?

    public init(name: String, file: String, interval: Double, rules: [RuleStatus], evaluationTime: Double, lastEvaluation: String,
                evaluatedBy: String?) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = 0
        self.rules = rules
        self.evaluationTime = evaluationTime
        self.lastEvaluation = lastEvaluation
        self.evaluatedBy = evaluatedBy
    }
}
