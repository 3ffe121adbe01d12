/// What an input does to each line before it leaves the host, in this
/// order: keep/drop by regex, redact by regex, then parse into fields.
public struct ProcessingRules: Sendable {
    public enum Parse: String, Sendable, CaseIterable {
        case none
        case json
        case logfmt
    }

    public struct Redaction: Sendable {
        public var pattern: LineRegex
        public var replacement: String

        public init(pattern: LineRegex, replacement: String) {
            self.pattern = pattern
            self.replacement = replacement
        }
    }

    public var parse = Parse.none
    /// When not empty, only lines matching one of these are kept.
    public var keep: [LineRegex] = []
    /// Lines matching any of these are dropped (counted as filtered).
    public var drop: [LineRegex] = []
    public var redact: [Redaction] = []

    public init() {}

    public var isEmpty: Bool { parse == .none && keep.isEmpty && drop.isEmpty && redact.isEmpty }
}
