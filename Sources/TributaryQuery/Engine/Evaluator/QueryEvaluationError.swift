/// A query that parsed but cannot be evaluated, worded as Prometheus words
/// it so that clients and its conformance scripts recognise it:
/// `found duplicate series for the match group …`, `vector cannot contain
/// metrics with the same labelset`, `query processing would load too many
/// samples into memory in query execution`.
public struct QueryEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static let duplicateLabelset = QueryEvaluationError("vector cannot contain metrics with the same labelset")
    static let tooManySamples = QueryEvaluationError("query processing would load too many samples into memory in query execution")
}
