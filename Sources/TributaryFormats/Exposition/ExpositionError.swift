/// Why an exposition cannot be read, with the line (1-based) where it
/// went wrong. A scrape that fails this way stores nothing of the body.
public struct ExpositionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A line that is not a valid sample, comment or `# EOF`.
        case syntax
        /// More samples than `sample_limit`.
        case sampleLimit = "sample_limit"
        /// A line longer than the parser's bound.
        case lineTooLong = "line_too_long"
        /// More labels on one sample, or more families, than allowed.
        case tooMany = "too_many"
    }

    public let kind: Kind
    public let line: Int
    public let message: String

    public init(_ kind: Kind, line: Int, _ message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
