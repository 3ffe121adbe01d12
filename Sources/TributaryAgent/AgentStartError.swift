/// Why the agent could not start, worded for the operator.
public enum AgentStartError: Error, CustomStringConvertible {
    case cannotListen(input: String, reason: String)
    case invalidInput(input: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let input, let reason):
            return "input \(input): cannot listen: \(reason) (is the port in use, or below 1024 without the capability to bind it?)"
        case .invalidInput(let input, let reason):
            return "input \(input): \(reason)"
        }
    }
}
