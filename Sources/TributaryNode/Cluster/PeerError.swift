/// Why a request to a peer did not get its answer.
public enum PeerError: Error, CustomStringConvertible, Sendable {
    /// Not connected, and the last attempt failed recently.
    case unavailable(node: String, reason: String)
    case timedOut(node: String, after: Duration)
    case connectionLost(node: String)
    /// The peer runs another topology: nothing is exchanged.
    case topologyMismatch(node: String, ours: String, theirs: String)
    case refused(node: String, reason: String)
    case unexpectedAnswer(node: String, String)

    public var description: String {
        switch self {
        case .unavailable(let node, let reason): return "\(node) is unreachable: \(reason)"
        case .timedOut(let node, let after): return "\(node) did not answer within \(after)"
        case .connectionLost(let node): return "the connection to \(node) closed before it answered"
        case .topologyMismatch(let node, let ours, let theirs):
            return "\(node) runs topology \(theirs) but this node runs \(ours): nothing is replicated between them; give every node the same topology file and send SIGHUP"
        case .refused(let node, let reason): return "\(node) refused: \(reason)"
        case .unexpectedAnswer(let node, let what): return "\(node) answered with \(what)"
        }
    }
}
