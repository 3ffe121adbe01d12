/// A query that does not parse: where, what was expected, what was found.
/// `position 14: expected a matcher operator (=, !=, =~, !~), found "=="`
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Zero-based offset in the query text (in characters).
    public let position: Int
    public let expected: String
    public let found: String

    public init(position: Int, expected: String, found: String) {
        self.position = position
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "position \(position): expected \(expected), found \(found)"
    }
}
