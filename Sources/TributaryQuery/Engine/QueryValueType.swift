/// What an expression evaluates to, as Prometheus types it at parse time.
public enum QueryValueType: String, Sendable, Equatable, CaseIterable {
    case scalar
    case string
    /// An instant vector: one sample per series.
    case vector
    /// A range vector: samples over a window per series.
    case matrix
    /// LogQL: a stream of log lines (a log query). Valid only as the whole
    /// query or inside a LogQL range aggregation.
    case logs

    /// The name Prometheus' error messages use (`expected type instant
    /// vector in call to function "rate", got range vector`).
    public var documentedName: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "instant vector"
        case .matrix: return "range vector"
        case .logs: return "log stream"
        }
    }
}
