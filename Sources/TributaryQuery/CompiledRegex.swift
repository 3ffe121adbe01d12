/// A regular expression compiled once per query and shared by every match.
///
/// RE2 syntax, as in PromQL and LogQL, run by a linear-time `PikeVM`: no
/// pattern or input can make a match backtrack, so a query's cost grows
/// with the text it reads, never exponentially. Unsupported syntax
/// (backreferences, lookaround) is a `RegexSyntaxError` with its position.
public final class CompiledRegex: Sendable, Equatable {
    public let pattern: String
    private let vm: PikeVM

    /// - Parameter dotMatchesNewline: Prometheus compiles label matchers as
    ///   `^(?s:…)$`; line filters keep RE2's default (`.` stops at `\n`).
    public init(_ pattern: String, dotMatchesNewline: Bool = false) throws(RegexSyntaxError) {
        self.pattern = pattern
        var flags = RegexParser.Flags()
        flags.dotMatchesNewline = dotMatchesNewline
        vm = PikeVM(program: try RegexProgram.compile(try RegexParser.parse(pattern, flags: flags)))
    }

    /// Prometheus semantics: the whole value must match.
    public func matchesWhole(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { vm.matches(UnsafeRawBufferPointer($0), wholeText: true) }
    }

    /// grep semantics: somewhere in the line.
    public func matchesPart(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { vm.matches(UnsafeRawBufferPointer($0), wholeText: false) }
    }

    /// grep semantics on a line's bytes (no String is made); `stop` is
    /// asked now and then on long lines (false when it says stop).
    public func matchesPart(bytes: UnsafeRawBufferPointer, stop: (() -> Bool)? = nil) -> Bool {
        vm.matches(bytes, wholeText: false, stop: stop)
    }

    public static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.pattern == rhs.pattern }
}
