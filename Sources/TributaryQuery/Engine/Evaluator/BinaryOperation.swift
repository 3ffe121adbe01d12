#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The arithmetic and comparison of two floats, as Prometheus'
/// `vectorElemBinop`: comparisons return the left value and whether it is
/// kept.
enum BinaryOperation {
    @inline(__always)
    static func apply(_ op: BinaryExpr.Operator, _ lhs: Double, _ rhs: Double) -> (value: Double, keep: Bool) {
        switch op {
        case .add: return (lhs + rhs, true)
        case .subtract: return (lhs - rhs, true)
        case .multiply: return (lhs * rhs, true)
        case .divide: return (lhs / rhs, true)
        case .modulo: return (fmod(lhs, rhs), true)
        case .power: return (pow(lhs, rhs), true)
        case .atan2: return (atan2(lhs, rhs), true)
        case .equal: return (lhs, lhs == rhs)
        case .notEqual: return (lhs, lhs != rhs)
        case .greater: return (lhs, lhs > rhs)
        case .less: return (lhs, lhs < rhs)
        case .greaterOrEqual: return (lhs, lhs >= rhs)
        case .lessOrEqual: return (lhs, lhs <= rhs)
        case .and, .or, .unless: return (lhs, true)
        }
    }
}
