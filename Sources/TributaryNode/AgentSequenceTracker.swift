/// Which batch sequences of each agent are stored, so a batch sent twice
/// (a retry after a lost ACK, a resend after an agent restart) is stored once.
///
/// Per agent it keeps a watermark (every sequence at or below it is stored)
/// and the stored sequences above it. Agents send in order, so the set stays
/// small: memory grows with the gaps, not with history.
struct AgentSequenceTracker {
    private struct Agent {
        var watermark: UInt64 = 0
        var above: Set<UInt64> = []

        mutating func insert(_ sequence: UInt64) -> Bool {
            guard sequence > watermark, !above.contains(sequence) else { return false }
            above.insert(sequence)
            while above.remove(watermark + 1) != nil { watermark += 1 }
            return true
        }

        func contains(_ sequence: UInt64) -> Bool {
            sequence <= watermark || above.contains(sequence)
        }
    }

    private var agents: [String: Agent] = [:]

    func contains(agent: String, sequence: UInt64) -> Bool {
        agents[agent]?.contains(sequence) ?? false
    }

    /// Records the batch as stored; false if it already was.
    @discardableResult
    mutating func insert(agent: String, sequence: UInt64) -> Bool {
        agents[agent, default: Agent()].insert(sequence)
    }

    /// The highest sequence below which every batch of `agent` is stored.
    func watermark(of agent: String) -> UInt64 {
        agents[agent]?.watermark ?? 0
    }

    var agentCount: Int { agents.count }
}
