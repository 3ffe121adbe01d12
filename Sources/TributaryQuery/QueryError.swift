/// A query that does not parse: where, what was expected, what was found.
/// `position 14: expected a matcher operator (=, !=, =~, !~), found "=="`
///
/// Errors that are not about one unexpected token (a type error such as
/// `comparisons between scalars must use BOOL modifier`) carry a `message`
/// in Prometheus' wording instead, and `expected`/`found` say the same
/// thing in parts.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Zero-based offset in the query text (in characters).
    public let position: Int
    public let expected: String
    public let found: String
    /// The whole message when the error is not "expected X, found Y".
    public let message: String?

    public init(position: Int, expected: String, found: String) {
        self.position = position
        self.expected = expected
        self.found = found
        self.message = nil
    }

    /// An error told as one sentence (Prometheus' wording for type errors).
    public init(position: Int, message: String) {
        self.position = position
        self.expected = "a valid query"
        self.found = message
        self.message = message
    }

    public var description: String {
        if let message { return "position \(position): \(message)" }
        return "position \(position): expected \(expected), found \(found)"
    }
}
