/// `expr[range:step] offset D @ T`.
public struct Subquery: Sendable, Equatable {
    public var expr: QueryExpr
    /// ns.
    public var range: Int64
    /// ns; nil when written `[5m:]` (the evaluator's default resolution).
    public var step: Int64?
    /// ns.
    public var offset: Int64
    public var at: AtModifier?

    public init(expr: QueryExpr, range: Int64, step: Int64?, offset: Int64 = 0, at: AtModifier? = nil) {
        self.expr = expr
        self.range = range
        self.step = step
        self.offset = offset
        self.at = at
    }
}
