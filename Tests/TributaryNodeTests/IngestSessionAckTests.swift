import NIOCore
import Testing
import TributaryTestSupport
@testable import TributaryNode
import TributaryStorage
import TributaryWire

/// The cumulative ACK's promise (`proto/PROTOCOL.md` §4.5): every batch
/// sent on the connection at or below it is durable.
@Suite struct IngestSessionAckTests {
    static func session(window: Int = 8) -> IngestSession {
        var session = IngestSession(nodeID: "node-a", credentials: IngestSessionTests.credentials, window: window)
        _ = session.receive(IngestSessionTests.hello(), certificateName: nil)
        return session
    }

    static func ack(_ action: IngestSession.Action) -> Ack? {
        if case .send(.ack(let ack)) = action { return ack }
        return nil
    }

    @Test func aBusyBatchIsNotCoveredByALaterCumulativeAck() {
        var session = Self.session()
        _ = session.receive(.batch(IngestSessionTests.batch(17)), certificateName: nil)
        _ = session.receive(.batch(IngestSessionTests.batch(18)), certificateName: nil)
        _ = session.completed(sequence: 17, result: .busy(reason: "head full", retryAfterMilliseconds: 100))
        let ack = Self.ack(session.completed(sequence: 18, result: .stored))
        #expect(ack?.cumulative == 16, "17 was not stored")
        #expect(ack?.selective == [18])
        // The resend of 17 is stored: now both are covered.
        _ = session.receive(.batch(IngestSessionTests.batch(17)), certificateName: nil)
        let later = Self.ack(session.completed(sequence: 17, result: .stored))
        #expect(later?.cumulative == 18)
    }

    @Test func refusedAndFailedBatchesHoldTheCumulativeValueBack() {
        var session = Self.session()
        for sequence in UInt64(1)...4 { _ = session.receive(.batch(IngestSessionTests.batch(sequence)), certificateName: nil) }
        _ = session.completed(sequence: 1, result: .stored)
        _ = session.completed(sequence: 2, result: .refused(Nack(sequence: 2, disposition: .permanent, code: .tooOld, reason: "old")))
        _ = session.completed(sequence: 3, result: .failed(.diskFull(path: "/data")))
        let ack = Self.ack(session.completed(sequence: 4, result: .stored))
        #expect(ack?.cumulative == 1)
        #expect(ack?.selective == [4])
    }

    @Test func aBatchOverTheWindowIsNotCoveredEither() {
        var session = Self.session(window: 1)
        _ = session.receive(.batch(IngestSessionTests.batch(1)), certificateName: nil)
        guard case .send(.busy) = session.receive(.batch(IngestSessionTests.batch(2)), certificateName: nil) else {
            Issue.record("no BUSY over the window")
            return
        }
        _ = session.receive(.batch(IngestSessionTests.batch(3)), certificateName: nil)
        _ = session.completed(sequence: 1, result: .stored)
        _ = session.receive(.batch(IngestSessionTests.batch(3)), certificateName: nil)
        let ack = Self.ack(session.completed(sequence: 3, result: .stored))
        #expect(ack?.cumulative == 1)
    }

    @Test func manyRefusalsKeepMemoryBoundedAndStaySafe() {
        var session = Self.session(window: 4)
        var sequence: UInt64 = 10
        for _ in 0..<(IngestSession.maxUnstored + 50) {
            _ = session.receive(.batch(IngestSessionTests.batch(sequence)), certificateName: nil)
            _ = session.completed(sequence: sequence, result: .busy(reason: "full", retryAfterMilliseconds: 1))
            sequence += 1
        }
        _ = session.receive(.batch(IngestSessionTests.batch(sequence)), certificateName: nil)
        let ack = Self.ack(session.completed(sequence: sequence, result: .stored))
        #expect(ack?.cumulative == 9, "below the first batch never stored")
        #expect(ack?.selective == [sequence])
    }

    /// Random interleavings of sends, resends and store results: every ACK
    /// must cover only batches that were stored, and once everything is
    /// stored the cumulative value reaches the highest sequence.
    @Test(arguments: 0..<200) func everyCumulativeAckCoversOnlyStoredBatches(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 1)
        let window = Int.random(in: 1...6, using: &random)
        var session = Self.session(window: window)
        var stored: Set<UInt64> = []
        var sent: Set<UInt64> = []
        var waiting: [UInt64] = []     // in flight at the session
        var toResend: [UInt64] = []    // answered without being stored
        var next: UInt64 = UInt64.random(in: 1...1000, using: &random)
        let first = next
        let total = Int.random(in: 1...40, using: &random)
        var lastCumulative: UInt64 = 0

        func check(_ action: IngestSession.Action) {
            switch action {
            case .send(.ack(let ack)):
                for sequence in sent where sequence <= ack.cumulative {
                    #expect(stored.contains(sequence), "seed \(seed): ACK \(ack.cumulative) covers \(sequence), not stored")
                }
                for sequence in ack.selective { #expect(stored.contains(sequence)) }
                lastCumulative = max(lastCumulative, ack.cumulative)
            case .send(.busy(let busy)):
                toResend.append(busy.sequence)
            case .send(.nack(let nack)):
                toResend.append(nack.sequence)
            default:
                break
            }
        }

        var steps = 0
        while steps < 10_000, stored.count < total || !waiting.isEmpty {
            steps += 1
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where Int(next - first) < total:
                let sequence = next
                next += 1
                sent.insert(sequence)
                let action = session.receive(.batch(IngestSessionTests.batch(sequence)), certificateName: nil)
                if case .store = action { waiting.append(sequence) } else { check(action) }
            case 1 where !toResend.isEmpty:
                let sequence = toResend.remove(at: Int.random(in: 0..<toResend.count, using: &random))
                let action = session.receive(.batch(IngestSessionTests.batch(sequence)), certificateName: nil)
                if case .store = action { waiting.append(sequence) } else { check(action) }
            case 2 where !waiting.isEmpty:
                let sequence = waiting.remove(at: Int.random(in: 0..<waiting.count, using: &random))
                let result: IngestSession.StoreResult
                switch Int.random(in: 0..<10, using: &random) {
                case 0: result = .busy(reason: "busy", retryAfterMilliseconds: 1)
                case 1: result = .failed(.diskFull(path: "/d"))
                case 2: result = .refused(Nack(sequence: sequence, disposition: .retry, code: .noQuorum, reason: "q"))
                case 3 where stored.contains(sequence): result = .duplicate
                default: result = .stored
                }
                if case .stored = result { stored.insert(sequence) }
                check(session.completed(sequence: sequence, result: result))
            default:
                break
            }
        }
        if stored.count == total && waiting.isEmpty {
            #expect(lastCumulative == next - 1, "seed \(seed): everything stored, cumulative \(lastCumulative) of \(next - 1)")
        }
    }
}
