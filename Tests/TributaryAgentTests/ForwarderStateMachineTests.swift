import NIOCore
import Testing
import TributaryWire
@testable import TributaryAgent

/// The forwarder's rules, without sockets, clocks or randomness.
@Suite struct ForwarderStateMachineTests {
    typealias Machine = ForwarderStateMachine

    static func machine(nodes: Int = 2) -> Machine {
        var settings = ForwarderSettings(nodes: [], token: "t")
        settings.maxWindow = 4
        return Machine(settings: settings, nodeNames: (0..<nodes).map { "node-\($0):7400" }, jitter: { $0.upperBound })
    }

    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func welcome(window: UInt16 = 4) -> Frame {
        .welcome(Welcome(version: 1, capabilities: .deflate, nodeID: "n", maxFrameBytes: 1 << 20, maxBatchRecords: 100,
                         maxBatchRawBytes: 1 << 20, window: window, idleTimeoutMilliseconds: 0))
    }

    static func sent(_ actions: [Machine.Action]) -> [UInt64] {
        actions.flatMap { action -> [UInt64] in
            if case .send(let sequences, _) = action { return sequences }
            return []
        }
    }

    /// A machine connected (connection 1) with `pending` queued.
    static func connected(_ pending: [UInt64], window: UInt16 = 4) -> (Machine, [Machine.Action]) {
        var machine = Self.machine()
        let start = machine.start(pending: pending, now: t0)
        #expect(start.contains(.connect(connection: 1, node: 0)))
        let actions = machine.received(welcome(window: window), connection: 1, now: t0)
        return (machine, actions)
    }

    @Test func sendsUpToTheWindowAndMoreAsAcksArrive() {
        var (machine, actions) = Self.connected([1, 2, 3, 4, 5, 6], window: 3)
        #expect(Self.sent(actions) == [1, 2, 3])
        actions = machine.received(.ack(Ack(cumulative: 2, selective: [])), connection: 1, now: Self.t0)
        #expect(actions.contains(.finish(1)) && actions.contains(.finish(2)))
        #expect(Self.sent(actions) == [4, 5])
        actions = machine.received(.ack(Ack(cumulative: 2, selective: [4, 5])), connection: 1, now: Self.t0)
        #expect(actions.contains(.finish(4)) && actions.contains(.finish(5)) && !actions.contains(.finish(3)))
        #expect(Self.sent(actions) == [6])
        actions = machine.received(.ack(Ack(cumulative: 6, selective: [])), connection: 1, now: Self.t0)
        #expect(actions.contains(.drained))
        #expect(machine.isDrained)
    }

    @Test func aPermanentNackIsolatesOnlyThatBatch() {
        var (machine, _) = Self.connected([7, 8])
        let nack = Nack(sequence: 7, disposition: .permanent, code: .tooOld, reason: "old")
        let actions = machine.received(.nack(nack), connection: 1, now: Self.t0)
        #expect(actions.contains(.isolate(7, nack)))
        #expect(!actions.contains { if case .finish = $0 { return true } else { return false } })
        // The halves come back as new batches and are sent like any other.
        #expect(Self.sent(machine.spooled(9, now: Self.t0)) == [9])
        #expect(machine.inFlight.keys.sorted() == [8, 9])
    }

    @Test func aRetryableNackSendsTheSameBatchAgainLater() {
        var (machine, _) = Self.connected([7])
        let actions = machine.received(.nack(Nack(sequence: 7, disposition: .retry, code: .noQuorum, reason: "q")), connection: 1, now: Self.t0)
        #expect(actions.contains(.schedule(.retry(7), after: .seconds(1))))
        #expect(Self.sent(machine.timerFired(.retry(7), now: Self.t0 + .seconds(1))) == [7])
    }

    @Test func busyPausesThenResumesAndLastingBusyMovesToTheNextNode() {
        var (machine, _) = Self.connected([1, 2])
        var actions = machine.received(.busy(Busy(sequence: 1, retryAfterMilliseconds: 250, reason: "full")), connection: 1, now: Self.t0)
        #expect(actions.contains(.schedule(.resume, after: .milliseconds(250))))
        #expect(Self.sent(machine.spooled(3, now: Self.t0 + .milliseconds(100))).isEmpty, "paused")
        #expect(Self.sent(machine.timerFired(.resume, now: Self.t0 + .milliseconds(250))) == [1, 3])
        actions = machine.received(.busy(Busy(sequence: 1, retryAfterMilliseconds: 250, reason: "full")), connection: 1, now: Self.t0 + .seconds(6))
        #expect(actions.contains(.close(connection: 1)))
        #expect(actions.contains { if case .schedule(.reconnect, _) = $0 { return true } else { return false } })
        #expect(machine.nodeIndex == 1)
        #expect(machine.inFlight.isEmpty, "batches in flight go back to the queue")
    }

    @Test func backoffDoublesToTheCapWithJitterInRange() {
        var machine = Self.machine(nodes: 1)
        _ = machine.start(pending: [], now: Self.t0)
        var delays: [Int64] = []
        for connection in 1...12 {
            let actions = machine.connectFailed(connection: connection, reason: "refused", now: Self.t0)
            for case .schedule(.reconnect, let delay) in actions { delays.append(delay.nanoseconds / 1_000_000) }
            _ = machine.timerFired(.reconnect, now: Self.t0)
        }
        #expect(delays.prefix(5) == [200, 400, 800, 1600, 3200])
        #expect(delays.last == 30_000)
    }

    @Test func aStuckNodeIsLeftAfterTheAnswerTimeout() {
        var (machine, _) = Self.connected([1])
        let fine = machine.timerFired(.ping(connection: 1), now: Self.t0 + .seconds(20))
        #expect(fine.contains(.sendPing(connection: 1)))
        let stuck = machine.timerFired(.ping(connection: 1), now: Self.t0 + .seconds(61))
        #expect(stuck.contains(.close(connection: 1)))
        #expect(!machine.inFlight.keys.contains(1))
    }

    @Test func aRejectAvoidsTheNodeAndGoAwayDrainsFirst() {
        var (machine, _) = Self.connected([1, 2])
        var actions = machine.received(.goAway(GoAway(code: .draining, reason: "bye")), connection: 1, now: Self.t0)
        #expect(!actions.contains(.close(connection: 1)), "answers for batches in flight first")
        actions = machine.received(.ack(Ack(cumulative: 2, selective: [])), connection: 1, now: Self.t0)
        #expect(actions.contains(.close(connection: 1)))
        _ = machine.timerFired(.reconnect, now: Self.t0)
        #expect(machine.nodeIndex == 1)
        actions = machine.received(.reject(Reject(code: .authFailed, reason: "bad token")), connection: 2, now: Self.t0)
        #expect(actions.contains(.close(connection: 2)))
        #expect(actions.contains { if case .log(.error, let text) = $0 { return text.contains("fix the agent's token") } else { return false } })
    }

    @Test func framesOfAnOldConnectionAreIgnored() {
        var (machine, _) = Self.connected([1])
        _ = machine.closed(connection: 1, error: "reset", now: Self.t0)
        #expect(machine.received(.ack(Ack(cumulative: 1, selective: [])), connection: 1, now: Self.t0).isEmpty)
        #expect(machine.backlog == 1, "batch 1 waits for the next connection")
    }
}
