/// A regular expression compiled once per query and shared by every match.
///
/// `@unchecked Sendable`: Swift's `Regex` is an immutable value; matching
/// does not mutate it, so sharing it between tasks is safe.
public final class CompiledRegex: @unchecked Sendable, Equatable {
    public let pattern: String
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern)
    }

    /// Prometheus semantics: the whole value must match.
    func matchesWhole(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }

    /// grep semantics: somewhere in the line.
    func matchesPart(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    public static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.pattern == rhs.pattern }
}
