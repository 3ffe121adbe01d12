/// `op [by|without (labels)] ([parameter,] expr)` in either order of
/// grouping and arguments.
public struct AggregateExpr: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case sum, min, max, avg, group, stddev, stdvar, count
        case countValues = "count_values"
        case topk, bottomk, quantile
        /// Experimental in Prometheus (`--enable-feature=promql-experimental-functions`).
        case limitk
        case limitRatio = "limit_ratio"

        /// Whether the operator takes a parameter before the expression.
        public var takesParameter: Bool {
            switch self {
            case .countValues, .topk, .bottomk, .quantile, .limitk, .limitRatio: return true
            default: return false
            }
        }
    }

    public var op: Operator
    public var expr: QueryExpr
    /// `topk(3, …)`'s 3, `quantile(0.9, …)`'s 0.9, `count_values("v", …)`'s "v".
    public var parameter: QueryExpr?
    /// The labels in `by (…)` or `without (…)`.
    public var grouping: [String]
    /// True for `without`.
    public var without: Bool

    public init(op: Operator, expr: QueryExpr, parameter: QueryExpr? = nil, grouping: [String] = [], without: Bool = false) {
        self.op = op
        self.expr = expr
        self.parameter = parameter
        self.grouping = grouping
        self.without = without
    }
}
