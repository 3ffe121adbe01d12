import TributaryModel

/// A severity from the level names shippers use (`level`,
/// `detected_level`, OTLP's `severity_text`): case-insensitive, common
/// abbreviations included; anything else is `unknown`.
enum SeverityName {
    static func severity(_ name: String) -> Severity {
        switch name.lowercased() {
        case "emerg", "emergency", "panic": return .emergency
        case "alert": return .alert
        case "crit", "critical", "fatal": return .critical
        case "err", "error", "eror": return .error
        case "warn", "warning": return .warning
        case "notice": return .notice
        case "info", "information", "informational": return .info
        case "debug", "dbug", "trace": return .debug
        default: return .unknown
        }
    }
}
