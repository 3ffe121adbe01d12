import Foundation
import NIOCore
import Testing
import TributaryModel
@testable import TributaryNode
import TributaryWire

@Suite struct AgentSequenceTrackerTests {
    @Test func remembersStoredSequencesInAnyOrderOnce() {
        var tracker = AgentSequenceTracker()
        let inserted1 = tracker.insert(agent: "a", sequence: 2)
        #expect(inserted1)
        let inserted2 = tracker.insert(agent: "a", sequence: 1)
        #expect(inserted2)
        let inserted3 = tracker.insert(agent: "a", sequence: 1)
        #expect(!inserted3, "a duplicate")
        #expect(tracker.runCount(of: "a") == 1, "1 and 2 make one run")
        let inserted4 = tracker.insert(agent: "a", sequence: 5)
        #expect(inserted4)
        #expect(tracker.contains(agent: "a", sequence: 5))
        #expect(!tracker.contains(agent: "a", sequence: 4))
        #expect(!tracker.contains(agent: "b", sequence: 1))
        let inserted5 = tracker.insert(agent: "a", sequence: 4)
        #expect(inserted5)
        let inserted6 = tracker.insert(agent: "a", sequence: 3)
        #expect(inserted6)
        #expect(tracker.runCount(of: "a") == 1, "filling the gap merges the runs")
        #expect(tracker.agentCount == 1)
    }

    /// What a replica sees of one agent: every third batch touches only
    /// other nodes' partitions (a gap for good), and batches 1,000–1,999
    /// were written while it was down (hinted). Hours later, after far more
    /// gaps than the tracker keeps, the hints arrive: they must be stored
    /// (the tracker used to have moved its watermark past the old gaps and
    /// took them for duplicates: acknowledged lines dropped), a hint
    /// replayed twice still once, and memory stays bounded.
    @Test func aHintOlderThanTheTrackedGapsIsStoredOnceNotDroppedAsADuplicate() {
        var tracker = AgentSequenceTracker()
        let outage: ClosedRange<UInt64> = 1_000...1_999
        let last = UInt64(AgentSequenceTracker.maxRuns) * 3 + 30_000
        for sequence in 1...last where sequence % 3 != 0 && !outage.contains(sequence) {
            tracker.insert(agent: "agent", sequence: sequence)
        }
        #expect(tracker.runCount(of: "agent") <= AgentSequenceTracker.maxRuns)
        let hinted = outage.filter { $0 % 3 != 0 }
        let takenForStored = hinted.filter { tracker.contains(agent: "agent", sequence: $0) }
        #expect(takenForStored.isEmpty, "\(takenForStored.count) hinted batches would be dropped as duplicates, e.g. \(takenForStored.prefix(5))")
        for sequence in hinted {
            let stored = tracker.insert(agent: "agent", sequence: sequence)
            #expect(stored, "hint \(sequence) stored")
        }
        for sequence in hinted {
            let storedAgain = tracker.insert(agent: "agent", sequence: sequence)
            #expect(!storedAgain, "hint \(sequence) replayed twice is stored once")
        }
        // An agent resending its latest batches (a lost ACK) is still a duplicate.
        let latest = (last - 2...last).filter { $0 % 3 != 0 }
        for sequence in latest {
            let resentStored = tracker.insert(agent: "agent", sequence: sequence)
            #expect(!resentStored, "resent \(sequence)")
        }
        let nextStored = tracker.insert(agent: "agent", sequence: last + 1)
        #expect(nextStored)
    }

    /// Late sequences (stored after the tracker forgot their stretch) are
    /// bounded too: past the limit the older ones are forgotten (stored
    /// again if resent, never dropped).
    @Test func lateSequencesStayBounded() {
        var tracker = AgentSequenceTracker()
        let last = UInt64(AgentSequenceTracker.maxRuns) * 4 + 20_000
        for sequence in stride(from: 2, through: last, by: 2) { tracker.insert(agent: "agent", sequence: sequence) }
        #expect(!tracker.contains(agent: "agent", sequence: 2), "the oldest stretch is forgotten")
        // Every odd sequence of the forgotten stretch arrives late.
        let late = stride(from: UInt64(1), to: 2 * UInt64(AgentSequenceTracker.maxLate) + 3, by: 2)
        for sequence in late {
            let lateStored = tracker.insert(agent: "agent", sequence: sequence)
            #expect(lateStored)
        }
        let newest = 2 * UInt64(AgentSequenceTracker.maxLate) + 1
        let newestAgain = tracker.insert(agent: "agent", sequence: newest)
        #expect(!newestAgain, "the latest late hint is remembered")
        let oldestAgain = tracker.insert(agent: "agent", sequence: 1)
        #expect(oldestAgain, "the oldest was forgotten: stored again, not dropped")
    }

    @Test func theCheckpointKeepsRunsForgottenStretchAndLateSequences() throws {
        var tracker = AgentSequenceTracker()
        let last = UInt64(AgentSequenceTracker.maxRuns) * 2 + 20_000
        for sequence in stride(from: 2, through: last, by: 2) { tracker.insert(agent: "agent", sequence: sequence) }
        tracker.insert(agent: "agent", sequence: 1)
        tracker.insert(agent: "other", sequence: 7)
        let decoded = try AgentSequenceTracker(decoding: tracker.encoded())
        #expect(decoded.agentCount == 2)
        #expect(decoded.runCount(of: "agent") == tracker.runCount(of: "agent"))
        for sequence in [1, 2, 3, 5, last - 1, last, last + 1] as [UInt64] {
            #expect(decoded.contains(agent: "agent", sequence: sequence) == tracker.contains(agent: "agent", sequence: sequence), "\(sequence)")
        }
        #expect(decoded.contains(agent: "agent", sequence: 1), "a late sequence")
        #expect(!decoded.contains(agent: "agent", sequence: 3), "forgotten, so not a duplicate")
        #expect(decoded.contains(agent: "other", sequence: 7) && !decoded.contains(agent: "other", sequence: 6))
        #expect(try AgentSequenceTracker(decoding: AgentSequenceTracker().encoded()).agentCount == 0)
    }

    /// A checkpoint written before this format (`varint agents, (string,
    /// u64 watermark, varint n, u64*)*`) is read as it meant.
    @Test func aVersionOneCheckpointIsStillRead() throws {
        var state = ByteBuffer()
        state.writeVarint(1)
        state.writeWireString("agent")
        state.writeInteger(UInt64(10))
        state.writeVarint(2)
        state.writeInteger(UInt64(12))
        state.writeInteger(UInt64(13))
        let tracker = try AgentSequenceTracker(decoding: state)
        #expect(tracker.contains(agent: "agent", sequence: 1) && tracker.contains(agent: "agent", sequence: 10))
        #expect(!tracker.contains(agent: "agent", sequence: 11))
        #expect(tracker.contains(agent: "agent", sequence: 12) && tracker.contains(agent: "agent", sequence: 13))
        var empty = ByteBuffer()
        empty.writeVarint(0)
        #expect(try AgentSequenceTracker(decoding: empty).agentCount == 0)
    }

    /// Repair stores records it just found missing under its own identity;
    /// a sequence the tracker already holds (a clock set back) must not
    /// make the store drop them.
    @Test func aRepairCopyIsStoredWhateverTheTrackerHolds() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trib-repair-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (store, _) = try await IngestStore.open(directory: root)
        let records = [Record.log(LogRecord(timestamp: 1_000, labels: try Labels(["host": "h"]), message: "repaired"))]
        let first = try BatchEncoder().encode(records, agentID: "repair-node-a", sequence: 5)
        #expect(try await store.store(first, records: records, tenant: "acme", deduplicate: false) == .stored(walSequence: 1))
        let again = try BatchEncoder().encode(records, agentID: "repair-node-a", sequence: 5)
        #expect(try await store.store(again, records: records, tenant: "acme", deduplicate: false) == .stored(walSequence: 2))
        #expect(try await store.store(again, records: records, tenant: "acme") == .duplicate, "an agent's batch is still deduplicated")
        _ = await store.close()
    }
}
