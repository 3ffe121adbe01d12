/// One fault the chaos test applies to its cluster and agents, then undoes.
enum ChaosFault: String, CaseIterable, Sendable {
    /// kill -9 of a node, restarted a moment later on the same data.
    case killNode = "kill -9 node"
    /// SIGSTOP of a node for a few seconds, then SIGCONT.
    case stopNode = "SIGSTOP node"
    /// iptables drops every packet to a node's agent and peer ports (root).
    case cutNode = "iptables cut node"
    /// kill -9 of an agent, restarted on the same state directory.
    case killAgent = "kill -9 agent"
    /// The file system under an agent's spool fills up (tmpfs, root).
    case fillAgentDisk = "disk full agent spool"
    /// The file system under a node's data directory fills up (tmpfs, root).
    case fillNodeDisk = "disk full node data"
    /// A log file renamed and a new one started while it is written.
    case rotateFile = "rotate file"

    /// Faults that need root (and, for the cut, iptables).
    var needsRoot: Bool {
        switch self {
        case .cutNode, .fillAgentDisk, .fillNodeDisk: return true
        default: return false
        }
    }
}
