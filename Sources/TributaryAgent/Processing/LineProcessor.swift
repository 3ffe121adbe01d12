import NIOCore
import TributaryFormats
import TributaryModel

/// Applies an input's `ProcessingRules` to one message. With no rules the
/// bytes pass untouched (no String is made).
public struct LineProcessor: Sendable {
    public struct Output {
        public var message: ByteBuffer
        public var fields: [Field]
        public var severity: Severity
    }

    public let rules: ProcessingRules

    public init(rules: ProcessingRules) {
        self.rules = rules
    }

    /// The processed message, or nil when a keep/drop rule filters it out.
    public func process(_ message: ByteBuffer, severity: Severity = .unknown) -> Output? {
        guard !rules.isEmpty else { return Output(message: message, fields: [], severity: severity) }
        var text = String(decoding: message.readableBytesView, as: UTF8.self)
        if !rules.keep.isEmpty, !rules.keep.contains(where: { $0.matches(text) }) { return nil }
        if rules.drop.contains(where: { $0.matches(text) }) { return nil }
        var changed = false
        for redaction in rules.redact where redaction.pattern.matches(text) {
            text = redaction.pattern.replacingMatches(in: text, with: redaction.replacement)
            changed = true
        }
        var fields: [Field] = []
        var severity = severity
        let pairs: [KeyValue]?
        switch rules.parse {
        case .none: pairs = nil
        case .json: pairs = JSONLineParser.parse(text)
        case .logfmt: pairs = LogfmtParser.parse(text)
        }
        if let pairs {
            for pair in pairs.prefix(Self.maxFields) where !pair.key.isEmpty {
                fields.append(Field(pair.key, String(pair.value.utf8.prefix(Self.maxFieldBytes)) ?? ""))
                if severity == .unknown, Self.severityKeys.contains(pair.key.lowercased()) {
                    severity = Self.severity(named: pair.value)
                }
            }
        }
        return Output(message: changed ? ByteBuffer(string: text) : message, fields: fields, severity: severity)
    }

    static let maxFields = 128
    static let maxFieldBytes = 65_536
    static let severityKeys: Set<String> = ["level", "severity", "lvl", "loglevel", "log.level"]

    /// `error`, `WARN`, `info`, … as a severity (unknown when not recognised).
    public static func severity(named name: String) -> Severity {
        switch name.lowercased() {
        case "emerg", "emergency", "panic": return .emergency
        case "alert": return .alert
        case "crit", "critical", "fatal": return .critical
        case "err", "error", "eror": return .error
        case "warn", "warning": return .warning
        case "notice": return .notice
        case "info", "information", "informational": return .info
        case "debug", "trace", "dbug": return .debug
        default: return .unknown
        }
    }
}
