/// Why a running query was stopped before it finished.
enum QueryStopped: Error, Equatable, CustomStringConvertible {
    /// Past `query.timeout`.
    case timeout(Duration)
    /// The client closed the connection: nobody reads the answer.
    case clientGone
    /// SIGTERM: the node is stopping.
    case shuttingDown

    var description: String {
        switch self {
        case .timeout(let limit):
            return "query timed out after \(QuerySettings.format(limit)) (query.timeout in node.yaml): narrow the time range, add label matchers or a |= \"text\" filter before regex filters, or raise the timeout"
        case .clientGone:
            return "the client disconnected; the query was stopped"
        case .shuttingDown:
            return "the node is shutting down; the query was stopped: retry on another node or once it is back"
        }
    }
}
