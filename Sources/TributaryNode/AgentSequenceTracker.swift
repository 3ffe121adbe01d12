/// Which batch sequences of each agent are stored, so a batch sent twice
/// (a retry after a lost ACK, a resend after an agent restart) is stored once.
///
/// Per agent it keeps a watermark (every sequence at or below it is stored)
/// and the stored sequences above it. Agents send in order, so the set stays
/// small: memory grows with the gaps, not with history.
import NIOCore
import TributaryWire

struct AgentSequenceTracker {
    private struct Agent {
        var watermark: UInt64 = 0
        var above: Set<UInt64> = []

        mutating func insert(_ sequence: UInt64) -> Bool {
            guard sequence > watermark, !above.contains(sequence) else { return false }
            above.insert(sequence)
            while above.remove(watermark + 1) != nil { watermark += 1 }
            if above.count > AgentSequenceTracker.maxGapTracking, let lowest = above.min() {
                // A number missing while this many later batches arrived was
                // abandoned (refused for good, or lost with a damaged agent
                // spool): move past it so memory stays bounded.
                watermark = lowest - 1
                while above.remove(watermark + 1) != nil { watermark += 1 }
            }
            return true
        }

        func contains(_ sequence: UInt64) -> Bool {
            sequence <= watermark || above.contains(sequence)
        }
    }

    /// Sequences kept above a gap before the gap is given up.
    static let maxGapTracking = 65_536

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

    /// `varint agents, (string agent, u64 watermark, varint n, u64 sequence*)*`,
    /// agents sorted, for the checkpoint.
    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeVarint(agents.count)
        for (name, agent) in agents.sorted(by: { $0.key < $1.key }) {
            buffer.writeWireString(name)
            buffer.writeInteger(agent.watermark)
            buffer.writeVarint(agent.above.count)
            for sequence in agent.above.sorted() { buffer.writeInteger(sequence) }
        }
        return buffer
    }

    init() {}

    init(decoding state: ByteBuffer) throws {
        var buffer = state
        let count = try buffer.readWireVarint()
        for _ in 0..<count {
            let name = try buffer.readWireString(limit: 1024)
            guard let watermark = buffer.readInteger(as: UInt64.self) else { throw WireError.truncated(field: "checkpoint agent", needed: 8, available: buffer.readableBytes) }
            var agent = Agent(watermark: watermark)
            let above = try buffer.readWireVarint()
            for _ in 0..<above {
                guard let sequence = buffer.readInteger(as: UInt64.self) else { throw WireError.truncated(field: "checkpoint agent", needed: 8, available: buffer.readableBytes) }
                agent.above.insert(sequence)
            }
            agents[name] = agent
        }
    }
}
