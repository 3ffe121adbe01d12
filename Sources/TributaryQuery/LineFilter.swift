/// `|= "text"`, `!= "text"`, `|~ "regex"`, `!~ "regex"` on a log line.
public struct LineFilter: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable {
        case contains = "|="
        case notContains = "!="
        case matchesRegex = "|~"
        case notMatchesRegex = "!~"
    }

    public let op: Operator
    public let value: String
    let regex: CompiledRegex?

    init(op: Operator, value: String, regex: CompiledRegex?) {
        self.op = op
        self.value = value
        self.regex = regex
    }

    public func matches(_ line: String) -> Bool {
        switch op {
        case .contains: return value.isEmpty || line.contains(value)
        case .notContains: return value.isEmpty ? false : !line.contains(value)
        case .matchesRegex: return regex!.matchesPart(line)
        case .notMatchesRegex: return !regex!.matchesPart(line)
        }
    }

    /// Substrings a matching line must contain, for skipping blocks whose
    /// token filter rules them out.
    public var requiredSubstring: String? { op == .contains && !value.isEmpty ? value : nil }

    public var description: String { "\(op.rawValue) \(quotedQueryString(value))" }
}
