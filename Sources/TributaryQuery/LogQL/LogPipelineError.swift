/// A LogQL pipeline or range aggregation that cannot run: a stage that does
/// not compile (`| regexp` without a named group, a template that does not
/// parse), a metric query whose lines carry `__error__`, or a query that
/// would need more memory than allowed. The message says what to change.
public struct LogPipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
