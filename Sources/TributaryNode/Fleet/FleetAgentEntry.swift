import TributaryWire

/// What one node knows of one agent: its HELLO, its last REPORT, when it
/// was first and last heard from, and whether it is connected now.
struct FleetAgentEntry: Sendable {
    var tenant: String
    var id: String
    /// HELLO's host and software (`trib/0.1.0`), for agents that send no REPORT.
    var helloHost: String
    var software: String
    var report: AgentReport?
    /// Nanoseconds since the epoch, node clock.
    var firstSeen: Int64
    var lastSeen: Int64
    /// Connections open to this node now.
    var connections: Int
    /// When this node first saw the agent's drop counters above zero (this agent process).
    var dropSince: Int64?
    var udpDropSince: Int64?
}
