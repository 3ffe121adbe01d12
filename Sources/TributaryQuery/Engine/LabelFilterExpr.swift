/// A LogQL label filter after a parser: string matchers, numeric, duration
/// and bytes comparisons, combined with `and` (also `,` or a space) and `or`;
/// `and` binds tighter, parentheses group.
public indirect enum LabelFilterExpr: Sendable, Equatable {
    /// `level="error"`, `path=~"/api/.*"`.
    case matcher(LabelMatcher)
    /// `status >= 500`, `ratio == 0.5`.
    case number(name: String, ComparisonOperator, Double)
    /// `latency > 250ms` (ns).
    case duration(name: String, ComparisonOperator, Int64)
    /// `size <= 20MB`, `size > 1KiB` (bytes).
    case bytes(name: String, ComparisonOperator, Double)
    case and(LabelFilterExpr, LabelFilterExpr)
    case or(LabelFilterExpr, LabelFilterExpr)

    public enum ComparisonOperator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    }
}
