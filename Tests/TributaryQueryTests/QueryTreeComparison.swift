import TributaryQuery

/// Tree equality for tests: `==` except that NaN equals NaN (a query
/// holding `NaN` must still round-trip), and a fully parenthesized
/// rendering of operator structure for precedence tests.
enum QueryTreeComparison {
    static func same(_ lhs: QueryExpr, _ rhs: QueryExpr) -> Bool {
        if lhs == rhs { return true }
        var left = ""
        var right = ""
        dump(lhs, to: &left)
        dump(rhs, to: &right)
        return left == right
    }

    /// `1 + 2 * 3` → `(1 + (2 * 3))`; `-a ^ b` → `(-(a ^ b))`.
    static func shape(_ expr: QueryExpr) -> String {
        switch expr {
        case .binary(let binary): return "(\(shape(binary.lhs)) \(binary.op.rawValue) \(shape(binary.rhs)))"
        case .negate(let operand): return "(-\(shape(operand)))"
        case .parenthesized(let inner): return "[\(shape(inner))]"
        default: return expr.description
        }
    }
}
