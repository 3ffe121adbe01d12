/// Which batch sequences of each agent are stored, so a batch sent twice
/// (a retry after a lost ACK, a resend after an agent restart, a hint
/// replayed twice) is stored once.
///
/// Per agent it keeps the stored sequences as ascending runs. A replica
/// sees only the batches that touch its partitions, so its runs have gaps
/// for good (other replicas' batches) next to gaps a hint fills later,
/// maybe hours later: it cannot tell them apart. Memory is bounded by
/// *forgetting* the oldest runs (`forgottenThrough`), never by filling
/// gaps: a forgotten batch that arrives again is stored again (a duplicate,
/// and only for a batch more than `maxRuns` gaps old), whereas a gap taken
/// for stored would drop a late hint, an acknowledged batch, as a duplicate.
/// Batches stored at or below `forgottenThrough` (late hints) are
/// remembered in a bounded set of their own, so replaying such a hint
/// twice still stores it once.
import NIOCore
import TributaryWire

struct AgentSequenceTracker {
    private struct Agent {
        /// Sequences at or below are not known as stored (except `late`).
        var forgottenThrough: UInt64 = 0
        /// Stored sequences above `forgottenThrough`: ascending, disjoint
        /// and not adjacent (adjacent runs are merged).
        var runs: [ClosedRange<UInt64>] = []
        /// Sequences at or below `forgottenThrough` stored since.
        var late: Set<UInt64> = []

        func contains(_ sequence: UInt64) -> Bool {
            if sequence <= forgottenThrough { return late.contains(sequence) }
            guard let last = runs.last else { return false }
            if sequence >= last.lowerBound { return sequence <= last.upperBound }
            let index = firstRun(startingAbove: sequence)
            return index > 0 && runs[index - 1].contains(sequence)
        }

        /// The index of the first run whose lower bound is above `sequence`.
        private func firstRun(startingAbove sequence: UInt64) -> Int {
            var low = 0
            var high = runs.count
            while low < high {
                let middle = (low + high) / 2
                if runs[middle].lowerBound <= sequence { low = middle + 1 } else { high = middle }
            }
            return low
        }

        mutating func insert(_ sequence: UInt64) -> Bool {
            guard !contains(sequence) else { return false }
            if sequence <= forgottenThrough {
                late.insert(sequence)
                if late.count > AgentSequenceTracker.maxLate {
                    // Forget the older half: those resent again are stored again.
                    late = Set(late.sorted().suffix(AgentSequenceTracker.maxLate / 2))
                }
                return true
            }
            if let last = runs.last, last.upperBound < sequence {
                // In order (the usual case): extend or start the last run.
                if last.upperBound + 1 == sequence {
                    runs[runs.count - 1] = last.lowerBound...sequence
                } else {
                    runs.append(sequence...sequence)
                }
            } else {
                let index = firstRun(startingAbove: sequence)
                let joinsPrevious = index > 0 && runs[index - 1].upperBound + 1 == sequence
                let joinsNext = index < runs.count && sequence < .max && runs[index].lowerBound == sequence + 1
                switch (joinsPrevious, joinsNext) {
                case (true, true):
                    runs[index - 1] = runs[index - 1].lowerBound...runs[index].upperBound
                    runs.remove(at: index)
                case (true, false):
                    runs[index - 1] = runs[index - 1].lowerBound...sequence
                case (false, true):
                    runs[index] = sequence...runs[index].upperBound
                case (false, false):
                    runs.insert(sequence...sequence, at: index)
                }
            }
            if runs.count > AgentSequenceTracker.maxRuns {
                // Forget the oldest runs, a slice at a time (amortised).
                let dropped = AgentSequenceTracker.maxRuns / 16
                forgottenThrough = runs[dropped - 1].upperBound
                runs.removeFirst(dropped)
            }
            return true
        }
    }

    /// Runs (stored stretches between gaps) kept per agent before the oldest
    /// are forgotten: 1 MiB per agent at most.
    static let maxRuns = 65_536
    /// Late sequences (stored after being forgotten) kept per agent.
    static let maxLate = 65_536

    private var agents: [String: Agent] = [:]

    func contains(agent: String, sequence: UInt64) -> Bool {
        agents[agent]?.contains(sequence) ?? false
    }

    /// Records the batch as stored; false if it already was.
    @discardableResult
    mutating func insert(agent: String, sequence: UInt64) -> Bool {
        agents[agent, default: Agent()].insert(sequence)
    }

    /// How many stored stretches `agent` has (for tests and bounds).
    func runCount(of agent: String) -> Int {
        agents[agent]?.runs.count ?? 0
    }

    var agentCount: Int { agents.count }

    /// For the checkpoint, agents sorted:
    /// `varint 0 | u8 2 | varint agents, (string agent, u64 forgotten through,
    /// varint runs, (u64 first, u64 last)*, varint late, u64 sequence*)*`.
    /// The leading zero is what version 1 (`varint agents, (string agent,
    /// u64 watermark, varint n, u64 sequence*)*`) wrote for no agents, so
    /// an older node reads this as empty rather than as garbage.
    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeVarint(0)
        buffer.writeInteger(UInt8(2))
        buffer.writeVarint(agents.count)
        for (name, agent) in agents.sorted(by: { $0.key < $1.key }) {
            buffer.writeWireString(name)
            buffer.writeInteger(agent.forgottenThrough)
            buffer.writeVarint(agent.runs.count)
            for run in agent.runs {
                buffer.writeInteger(run.lowerBound)
                buffer.writeInteger(run.upperBound)
            }
            buffer.writeVarint(agent.late.count)
            for sequence in agent.late.sorted() { buffer.writeInteger(sequence) }
        }
        return buffer
    }

    init() {}

    init(decoding state: ByteBuffer) throws {
        var buffer = state
        func u64(_ field: String) throws -> UInt64 {
            guard let value = buffer.readInteger(as: UInt64.self) else { throw WireError.truncated(field: field, needed: 8, available: buffer.readableBytes) }
            return value
        }
        func count(_ field: String, each bytes: Int) throws -> Int {
            let count = try buffer.readWireVarint()
            guard count <= UInt64(buffer.readableBytes / bytes) else {
                throw WireError.limitExceeded(field: field, value: count, limit: buffer.readableBytes / bytes)
            }
            return Int(count)
        }
        let first = try buffer.readWireVarint()
        guard first == 0, buffer.readableBytes > 0 else {
            // Version 1: a watermark and the stored sequences above it, kept
            // as they were (the watermark may cover gaps given up then).
            for _ in 0..<first {
                let name = try buffer.readWireString(limit: 1024)
                var agent = Agent()
                let watermark = try u64("checkpoint agent")
                if watermark > 0 { agent.runs = [1...watermark] }
                for _ in 0..<(try count("checkpoint agent sequences", each: 8)) { _ = agent.insert(try u64("checkpoint agent")) }
                agents[name] = agent
            }
            return
        }
        guard buffer.readInteger(as: UInt8.self) == 2 else {
            throw WireError.invalidValue(field: "checkpoint agents", reason: "an unknown version of the stored-batch state")
        }
        for _ in 0..<(try count("checkpoint agents", each: 1)) {
            let name = try buffer.readWireString(limit: 1024)
            var agent = Agent()
            agent.forgottenThrough = try u64("checkpoint agent")
            for _ in 0..<(try count("checkpoint agent runs", each: 16)) {
                let low = try u64("checkpoint agent run")
                let high = try u64("checkpoint agent run")
                guard low <= high, low > (agent.runs.last?.upperBound ?? agent.forgottenThrough) else {
                    throw WireError.invalidValue(field: "checkpoint agent run", reason: "runs out of order")
                }
                agent.runs.append(low...high)
            }
            for _ in 0..<(try count("checkpoint agent late sequences", each: 8)) { agent.late.insert(try u64("checkpoint agent")) }
            agents[name] = agent
        }
    }
}
