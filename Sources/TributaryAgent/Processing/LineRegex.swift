/// A regular expression from the configuration, compiled once and shared
/// by every line of its input.
///
/// `@unchecked Sendable`: Swift's `Regex` is an immutable value; matching
/// does not mutate it.
public final class LineRegex: @unchecked Sendable, CustomStringConvertible {
    public let pattern: String
    private let regex: Regex<AnyRegexOutput>

    public init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern)
    }

    /// Somewhere in the text (grep semantics).
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// Every match replaced by `replacement`.
    public func replacingMatches(in text: String, with replacement: String) -> String {
        text.replacing(regex, with: replacement)
    }

    public var description: String { pattern }
}
