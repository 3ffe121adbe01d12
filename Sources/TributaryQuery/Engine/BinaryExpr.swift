/// `lhs op [bool] [on|ignoring (…)] [group_left|group_right (…)] rhs`.
public struct BinaryExpr: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
        case atan2
        case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
        case and, or, unless

        public var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return true
            default: return false
            }
        }

        public var isSetOperator: Bool { self == .and || self == .or || self == .unless }
    }

    public var op: Operator
    public var lhs: QueryExpr
    public var rhs: QueryExpr
    /// `> bool`: comparisons return 0/1 instead of filtering.
    public var returnBool: Bool
    /// `on`/`ignoring` and `group_left`/`group_right`; nil when neither is
    /// written (set operators between vectors are then many-to-many).
    public var matching: VectorMatching?

    public init(op: Operator, lhs: QueryExpr, rhs: QueryExpr, returnBool: Bool = false, matching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }
}
