/// A pattern the regex engine refuses: where (in Unicode scalars from the
/// start of the pattern) and why, e.g. `at 3: lookahead (?=…) is not
/// supported (RE2 syntax); match the text itself or use a second filter`.
public struct RegexSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Zero-based offset in the pattern, in Unicode scalars.
    public let position: Int
    public let message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "at \(position): \(message)" }
}
