extension QueryExpr {
    /// What the expression evaluates to, as Prometheus types it: a binary
    /// operation is a scalar only between two scalars; a call returns its
    /// function's type; LogQL range aggregations give instant vectors.
    public var type: QueryValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vector: return .vector
        case .matrix, .subquery: return .matrix
        case .call(let function, _): return PromQLFunction.named(function)?.returnType ?? .vector
        case .aggregate: return .vector
        case .binary(let binary): return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .negate(let operand), .parenthesized(let operand): return operand.type
        case .logs: return .logs
        case .logRange: return .vector
        }
    }
}
