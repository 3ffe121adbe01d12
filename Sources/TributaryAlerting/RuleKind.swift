/// What a rule does at each evaluation. A new kind (the anomaly detector's
/// `anomaly:` rules) is a new case here, read by `RuleFile` and evaluated
/// by the node's group evaluator; alerting and recording keep their
/// Prometheus meaning.
public enum RuleKind: Sendable, Equatable {
    /// `alert:` — raises alerts while `expr` returns series.
    case alerting(AlertingRule)
    /// `record:` — stores `expr`'s result as a new series.
    case recording(RecordingRule)

    /// The alert or record name.
    public var name: String {
        switch self {
        case .alerting(let rule): return rule.name
        case .recording(let rule): return rule.name
        }
    }

    /// The query text as written.
    public var expression: String {
        switch self {
        case .alerting(let rule): return rule.expression
        case .recording(let rule): return rule.expression
        }
    }
}
