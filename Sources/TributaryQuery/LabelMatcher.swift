import TributaryModel

/// `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
/// A missing label matches as the empty string, as in Prometheus and Loki.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case notMatchesRegex = "!~"
    }

    public let name: String
    public let op: Operator
    public let value: String
    let regex: CompiledRegex?

    init(name: String, op: Operator, value: String, regex: CompiledRegex?) {
        self.name = name
        self.op = op
        self.value = value
        self.regex = regex
    }

    public func matches(_ labels: Labels) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return regex!.matchesWhole(actual)
        case .notMatchesRegex: return !regex!.matchesWhole(actual)
        }
    }

    public var description: String { "\(name)\(op.rawValue)\(QueryTextFormat.quoted(value))" }
}
