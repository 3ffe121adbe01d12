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
    /// Batch sequences this node answered for good, ascending disjoint runs
    /// with the time each run's first batch arrived; at most `maxRuns`
    /// (past it the lowest two merge: their hole is forgotten).
    var sequences: [(from: UInt64, to: UInt64, at: Int64)] = []

    static let maxRuns = 32

    mutating func answered(_ sequence: UInt64, at now: Int64) {
        guard let index = sequences.firstIndex(where: { sequence <= $0.to &+ 1 }) else {
            sequences.append((sequence, sequence, now))
            trim()
            return
        }
        var run = sequences[index]
        if sequence >= run.from && sequence <= run.to { return }
        if sequence == run.to &+ 1 {
            run.to = sequence
            if index + 1 < sequences.count, sequences[index + 1].from == sequence &+ 1 {
                let next = sequences.remove(at: index + 1)
                run.to = next.to
                run.at = min(run.at, next.at)
            }
            sequences[index] = run
        } else if sequence &+ 1 == run.from {
            run.from = sequence
            sequences[index] = run
        } else {
            sequences.insert((sequence, sequence, now), at: index)
            trim()
        }
    }

    private mutating func trim() {
        while sequences.count > Self.maxRuns {
            let low = sequences.removeFirst()
            sequences[0].from = low.from
            sequences[0].at = min(sequences[0].at, low.at)
        }
    }
}
