import Testing
@testable import TributaryNode
import TributaryStorage
import TributaryWire

/// The coordinator's decision after the replicas answered a batch (RF 2,
/// write quorum 1, as in the chaos test): who gets a hint, what the agent hears.
@Suite struct WriteVerdictTests {
    static let minute: Int64 = 60_000_000_000
    /// Two partitions: one on node-b and node-c, one on node-a and node-c.
    static let onBAndC = PartitionKey(tenant: "acme", start: 0, span: minute, shard: 0, shards: 3)
    static let onAAndC = PartitionKey(tenant: "acme", start: 0, span: minute, shard: 1, shards: 3)
    static let replicasOf = [onBAndC: ["node-b", "node-c"], onAAndC: ["node-a", "node-c"]]

    static func verdict(_ answers: [String: ClusterNode.ReplicaAnswer], coordinator: String = "node-c", quorum: Int = 1) -> WriteVerdict {
        WriteVerdict(sequence: 7, answers: answers, replicasOf: replicasOf, writeQuorum: quorum, coordinator: coordinator)
    }

    static func isAcknowledged(_ verdict: WriteVerdict) -> Bool {
        verdict.answer == .stored || verdict.answer == .duplicate
    }

    /// The chaos test's loss: node-c coordinated while its own disk was full
    /// (or its heads at their limit); the peers' copies made the quorum, so
    /// the batch was acknowledged, with no hint anywhere for node-c. node-c
    /// answers queries from its own copy first, and repair compares only
    /// sealed partitions: its answers lacked the lines.
    @Test(arguments: [ClusterNode.ReplicaAnswer.busy("ingest paused: disk limit"), .failed("disk full at data/wal")])
    func aBatchTheCoordinatorsOwnCopyMissedIsNotAcknowledged(own: ClusterNode.ReplicaAnswer) {
        let verdict = Self.verdict(["node-a": .durable(duplicate: false), "node-b": .durable(duplicate: false), "node-c": own])
        #expect(!Self.isAcknowledged(verdict), "\(verdict.answer)")
        #expect(verdict.hinted.isEmpty)
        guard case .busy(let reason, let retryAfter) = verdict.answer else {
            Issue.record("expected BUSY, got \(verdict.answer)")
            return
        }
        #expect(reason.contains("node-c") && reason.contains(own.reason), "\(reason)")
        #expect(retryAfter > 0)
    }

    @Test func aPeerThatMissedTheBatchGetsAHintAndTheAgentItsAck() {
        let verdict = Self.verdict(["node-a": .failed("connection refused"), "node-b": .busy("heads full"), "node-c": .durable(duplicate: false)])
        #expect(verdict.answer == .stored)
        #expect(verdict.hinted == ["node-a", "node-b"])
        #expect(verdict.shortfall == nil)
    }

    @Test func aCoordinatorOutsideTheReplicasHintsEveryReplicaThatMissed() {
        let replicasOf = [Self.onBAndC: ["node-b", "node-c"]]
        let verdict = WriteVerdict(sequence: 7, answers: ["node-b": .durable(duplicate: true), "node-c": .failed("disk full")],
                                   replicasOf: replicasOf, writeQuorum: 1, coordinator: "node-a")
        #expect(verdict.answer == .stored)
        #expect(verdict.hinted == ["node-c"])
    }

    @Test func everyCopyADuplicateIsADuplicate() {
        let verdict = Self.verdict(["node-a": .durable(duplicate: true), "node-b": .durable(duplicate: true), "node-c": .durable(duplicate: true)])
        #expect(verdict.answer == .duplicate)
        #expect(verdict.hinted.isEmpty)
    }

    @Test func aReplicaThatRefusedTheBatchForGoodGetsNoHint() {
        let verdict = Self.verdict(["node-a": .durable(duplicate: false), "node-b": .refused("does not decode"), "node-c": .durable(duplicate: false)])
        #expect(verdict.answer == .stored)
        #expect(verdict.hinted == [])
    }

    @Test func withoutAQuorumNothingIsHintedAndTheAgentRetries() {
        let verdict = Self.verdict(["node-a": .failed("timeout"), "node-b": .failed("timeout"), "node-c": .failed("timeout")])
        #expect(verdict.hinted.isEmpty)
        #expect(verdict.shortfall?.contains("0 of the 1 copies") == true, "\(verdict.shortfall ?? "")")
        guard case .refused(let nack) = verdict.answer else {
            Issue.record("expected a NACK, got \(verdict.answer)")
            return
        }
        #expect(nack.disposition == .retry && nack.code == .noQuorum && nack.sequence == 7)

        let busy = Self.verdict(["node-a": .busy("heads full"), "node-b": .failed("timeout"), "node-c": .failed("timeout")])
        #expect(busy.hinted.isEmpty)
        guard case .busy = busy.answer else {
            Issue.record("expected BUSY, got \(busy.answer)")
            return
        }
    }
}
