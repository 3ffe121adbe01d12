/// A log record's severity: the eight syslog severities (RFC 5424 §6.2.1,
/// numerically identical) and `unknown` for sources that do not say.
public enum Severity: UInt8, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7
    case unknown = 8

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Lower-case names as queries and output use them (`error`, `warning`, …).
    public var description: String {
        switch self {
        case .emergency: return "emergency"
        case .alert: return "alert"
        case .critical: return "critical"
        case .error: return "error"
        case .warning: return "warning"
        case .notice: return "notice"
        case .info: return "info"
        case .debug: return "debug"
        case .unknown: return "unknown"
        }
    }
}
