import Logging
import NIOCore
import TributaryWire

/// The forwarder's decisions as a plain state machine, in the style of the
/// node's `IngestSession`: events in (a frame, a connection closing, a
/// timer, a batch spooled), actions out (connect, send, close, schedule,
/// finish a batch, isolate a refused one, log, count). No sockets, no
/// clocks, no randomness of its own: `now` comes with every event and the
/// jitter from the caller, so every rule is testable directly.
///
/// ```
/// idle ──start──▶ connecting ──WELCOME──▶ connected ──GOAWAY──▶ draining
///   ▲                 │ failure, REJECT        │ close, stuck,        │ all answered
///   └──── waiting ◀───┴── (backoff, next node) ┴── lasting BUSY ◀─────┘
/// ```
///
/// One connection at a time, to the preferred node first (see
/// `NodeAddress.ranked`). Up to `window` batches are in flight; an ACK
/// finishes every batch it covers; a batch not acknowledged goes back to
/// the queue with the same sequence, so the node, which deduplicates by
/// (agent, sequence), stores it once. A batch refused for good is handed
/// back (`isolate`) to be split or dead-lettered: it never takes other
/// batches with it. Memory is bounded by the window and the spool: the
/// queue holds sequence numbers only.
struct ForwarderStateMachine {
    enum Phase: Equatable {
        case idle
        case waiting
        case connecting(Int)
        case connected(Int)
        case draining(Int)
        case stopped
    }

    enum Timer: Equatable {
        /// Connect again (after a backoff).
        case reconnect
        /// A BUSY pause is over: send again.
        case resume
        /// A batch refused with RETRY goes back to the queue.
        case retry(UInt64)
        /// Ping the node and check that batches are being answered.
        case ping(connection: Int)
    }

    enum Action: Equatable {
        case connect(connection: Int, node: Int)
        /// Read these batches from the spool and write them (in order, then flush).
        case send([UInt64], connection: Int)
        case sendPong(UInt64, connection: Int)
        case sendPing(connection: Int)
        case close(connection: Int)
        case schedule(Timer, after: TimeAmount)
        /// Acknowledged: out of the spool, file positions committed, counted as delivered.
        case finish(UInt64)
        /// Refused for good: split it and send the halves, or dead-letter a lone record.
        case isolate(UInt64, Nack)
        case log(Logger.Level, String)
        /// Add to a counter: name, label value, amount.
        case count(String, String, Int)
        case connectionState(node: Int, String)
        /// Every queued batch is answered: wake whoever waits in `stop`.
        case drained
    }

    let settings: ForwarderSettings
    let nodeCount: Int
    /// Nodes by rank, for messages.
    let nodeNames: [String]
    /// A value in the given range, uniformly at random (full jitter).
    let jitter: @Sendable (ClosedRange<Double>) -> Double

    private(set) var phase = Phase.idle
    private var queue: [UInt64] = []
    private var queueHead = 0
    private var queued: Set<UInt64> = []
    private(set) var inFlight: [UInt64: NIODeadline] = [:]
    private(set) var window = 1
    private var connectionID = 0
    private var attempt = 0
    private(set) var nodeIndex = 0
    private var avoidUntil: [Int: NIODeadline] = [:]
    private var pausedUntil: NIODeadline?
    private var busySince: NIODeadline?
    private var lastError: [Int: String] = [:]

    init(settings: ForwarderSettings, nodeNames: [String], jitter: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) {
        precondition(!nodeNames.isEmpty, "a forwarder needs at least one node")
        self.settings = settings
        self.nodeNames = nodeNames
        self.nodeCount = nodeNames.count
        self.jitter = jitter
    }

    /// Batches waiting to be sent or answered.
    var backlog: Int { queue.count - queueHead + inFlight.count }
    var isDrained: Bool { backlog == 0 }
    var currentConnection: Int? {
        switch phase {
        case .connecting(let id), .connected(let id), .draining(let id): return id
        default: return nil
        }
    }

    // MARK: Events

    /// Queues what the spool holds from an earlier run and connects.
    mutating func start(pending: [UInt64], now: NIODeadline) -> [Action] {
        for sequence in pending { enqueue(sequence) }
        var actions: [Action] = (0..<nodeCount).map { .connectionState(node: $0, "down") }
        actions += connect(now: now)
        return actions
    }

    /// A new batch is in the spool (also a half of a split batch).
    mutating func spooled(_ sequence: UInt64, now: NIODeadline) -> [Action] {
        enqueue(sequence)
        return pump(now: now)
    }

    /// The batch was not in the spool when it was to be sent (acknowledged
    /// meanwhile, by an ACK for an earlier transmission).
    mutating func vanished(_ sequence: UInt64, now: NIODeadline) -> [Action] {
        guard inFlight.removeValue(forKey: sequence) != nil else { return [] }
        return pump(now: now) + drainedIfIdle()
    }

    mutating func connectFailed(connection id: Int, reason: String, now: NIODeadline) -> [Action] {
        guard id == currentConnection else { return [] }
        return failed(reason: reason, now: now)
    }

    mutating func closed(connection id: Int, error: String?, now: NIODeadline) -> [Action] {
        guard id == currentConnection else { return [] }
        if case .draining = phase {
            requeueInFlight()
            return [.connectionState(node: nodeIndex, "down")] + scheduleReconnect(advance: true, after: .milliseconds(10), now: now)
        }
        return failed(reason: error.map { "connection failed: \($0)" } ?? "connection closed by the node", now: now)
    }

    mutating func timerFired(_ timer: Timer, now: NIODeadline) -> [Action] {
        switch timer {
        case .reconnect:
            return connect(now: now)
        case .resume:
            return pump(now: now)
        case .retry(let sequence):
            guard phase != .stopped else { return [] }
            enqueue(sequence)
            return pump(now: now)
        case .ping(let id):
            guard id == currentConnection, phase == .connected(id) || phase == .draining(id) else { return [] }
            // A node that sits on batches past the answer timeout is stuck.
            if let oldest = inFlight.values.min(), now - oldest > settings.answerTimeout {
                var actions: [Action] = [.log(.warning, "node \(nodeNames[nodeIndex]) has not answered a batch for \(Self.describe(settings.answerTimeout)): reconnecting")]
                actions += closeCurrent(id)
                actions += scheduleReconnect(advance: nodeCount > 1, now: now)
                return actions
            }
            return [.sendPing(connection: id), .schedule(.ping(connection: id), after: pingInterval)]
        }
    }

    mutating func received(_ frame: Frame, connection id: Int, now: NIODeadline) -> [Action] {
        guard id == currentConnection else { return [] }
        let node = nodeNames[nodeIndex]
        switch frame {
        case .welcome(let welcome):
            phase = .connected(id)
            window = max(1, min(Int(welcome.window), settings.maxWindow))
            attempt = 0
            lastError[nodeIndex] = nil
            idleMilliseconds = welcome.idleTimeoutMilliseconds
            var actions: [Action] = [
                .connectionState(node: nodeIndex, "connected"),
                .count("tributary_agent_connections_total", "connected", 1),
                .log(.info, "connected to node \(welcome.nodeID) at \(node) (window \(window)); \(backlog) batches to send"),
                .schedule(.ping(connection: id), after: pingInterval),
            ]
            actions += pump(now: now)
            return actions
        case .reject(let reject):
            let retry = reject.retryAfterMilliseconds
            var actions: [Action] = [
                .log(.error, "node \(node) refused this agent: \(reject.reason)\(retry == 0 ? " — fix the agent's token or certificate; retrying every \(Self.describe(settings.maxBackoff))" : "")"),
                .count("tributary_agent_connections_total", "rejected", 1),
            ]
            lastError[nodeIndex] = "rejected"
            avoidUntil[nodeIndex] = now + .milliseconds(Int64(retry == 0 ? 30_000 : retry))
            actions += closeCurrent(id)
            attempt = max(attempt, 8)
            actions += scheduleReconnect(advance: nodeCount > 1, after: .milliseconds(Int64(retry)), now: now)
            return actions
        case .ack(let ack):
            return acknowledged(ack, now: now)
        case .nack(let nack):
            guard inFlight.removeValue(forKey: nack.sequence) != nil else { return [] }
            var actions: [Action]
            if nack.disposition == .permanent {
                actions = [
                    .log(.error, "node \(node) refused batch \(nack.sequence) for good (\(nack.code)): \(nack.reason); isolating the records it cannot take"),
                    .count("tributary_agent_batches_total", "refused", 1),
                    .isolate(nack.sequence, nack),
                ]
            } else {
                actions = [
                    .log(.warning, "node \(node) could not store batch \(nack.sequence) (\(nack.code)): \(nack.reason); it will be sent again"),
                    .count("tributary_agent_batches_total", "retry", 1),
                    .schedule(.retry(nack.sequence), after: settings.retryDelay),
                ]
            }
            return actions + pump(now: now)
        case .busy(let busy):
            var actions: [Action] = [.count("tributary_agent_batches_total", "busy", 1)]
            if busy.sequence == 0 {
                requeueInFlight()
            } else if inFlight.removeValue(forKey: busy.sequence) != nil {
                enqueue(busy.sequence)
            }
            let delay = TimeAmount.milliseconds(Int64(max(busy.retryAfterMilliseconds, 10)))
            pausedUntil = now + delay
            actions.append(.connectionState(node: nodeIndex, "busy"))
            if busySince == nil {
                busySince = now
                actions.append(.log(.warning, "node \(node) is busy (\(busy.reason)); waiting \(busy.retryAfterMilliseconds) ms"))
            }
            let busyFor = now - (busySince ?? now)
            if nodeCount > 1, busyFor >= settings.busyFailover {
                actions.append(.log(.warning, "node \(node) has been busy for \(busyFor.nanoseconds / 1_000_000) ms: moving to the next node"))
                avoidUntil[nodeIndex] = now + .seconds(30)
                busySince = nil
                actions += closeCurrent(id)
                actions += scheduleReconnect(advance: true, now: now)
                return actions
            }
            actions.append(.schedule(.resume, after: delay))
            return actions
        case .goAway(let goAway):
            avoidUntil[nodeIndex] = now + .seconds(30)
            phase = .draining(id)
            var actions: [Action] = [
                .log(.notice, "node \(node) is going away (\(goAway.code)): \(goAway.reason); finishing batches in flight, then moving on"),
                .connectionState(node: nodeIndex, "draining"),
            ]
            if inFlight.isEmpty {
                actions += closeCurrent(id)
                actions += scheduleReconnect(advance: true, after: .milliseconds(10), now: now)
            }
            return actions
        case .ping(let nonce):
            return [.sendPong(nonce, connection: id)]
        default:
            return []
        }
    }

    /// Stops: closes the connection; what is left stays in the spool.
    mutating func stop() -> [Action] {
        let id = currentConnection
        phase = .stopped
        return id.map { [.close(connection: $0)] } ?? []
    }

    // MARK: Internals

    private var idleMilliseconds: UInt32 = 0

    private var pingInterval: TimeAmount {
        idleMilliseconds == 0 ? .seconds(20) : .milliseconds(Int64(max(idleMilliseconds / 3, 500)))
    }

    private mutating func enqueue(_ sequence: UInt64) {
        guard !queued.contains(sequence), inFlight[sequence] == nil else { return }
        queued.insert(sequence)
        if queue.count == queueHead || queue[queue.count - 1] < sequence {
            queue.append(sequence)
        } else {
            // A resend: keep the queue in sequence order, oldest first.
            if queueHead > 0 {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            let index = queue.firstIndex { $0 > sequence } ?? queue.count
            queue.insert(sequence, at: index)
        }
    }

    private mutating func dequeue() -> UInt64? {
        guard queueHead < queue.count else { return nil }
        let sequence = queue[queueHead]
        queueHead += 1
        if queueHead > 4096 {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        queued.remove(sequence)
        return sequence
    }

    /// Batches in flight go back to the queue. (`enqueue` skips batches in
    /// flight, so the map is emptied first: the forwarder this machine
    /// replaced requeued nothing here, and such batches waited in the
    /// spool until the agent restarted.)
    private mutating func requeueInFlight() {
        let sequences = inFlight.keys.sorted()
        inFlight = [:]
        for sequence in sequences { enqueue(sequence) }
    }

    private mutating func connect(now: NIODeadline) -> [Action] {
        guard phase == .idle || phase == .waiting else { return [] }
        // The preferred node first, skipping nodes told to stay away.
        var chosen = nodeIndex % nodeCount
        for offset in 0..<nodeCount {
            let candidate = (nodeIndex + offset) % nodeCount
            if (avoidUntil[candidate] ?? now) <= now {
                chosen = candidate
                break
            }
        }
        nodeIndex = chosen
        connectionID += 1
        phase = .connecting(connectionID)
        return [.connectionState(node: chosen, "connecting"), .connect(connection: connectionID, node: chosen)]
    }

    /// Reconnects after a backoff with full jitter, maybe to the next node.
    private mutating func scheduleReconnect(advance: Bool, after minimum: TimeAmount = .zero, now: NIODeadline) -> [Action] {
        guard phase != .stopped else { return [] }
        phase = .waiting
        if advance { nodeIndex = (nodeIndex + 1) % nodeCount }
        let cap = Double(settings.maxBackoff.nanoseconds)
        let ceiling = min(cap, Double(settings.initialBackoff.nanoseconds) * Double(1 << min(attempt, 30)))
        attempt += 1
        let delay = max(TimeAmount.nanoseconds(Int64(jitter(0...ceiling))), minimum)
        return [.schedule(.reconnect, after: delay)]
    }

    private mutating func failed(reason: String, now: NIODeadline) -> [Action] {
        var actions: [Action] = [.connectionState(node: nodeIndex, "down"), .count("tributary_agent_connections_total", "failed", 1)]
        requeueInFlight()
        if lastError[nodeIndex] != reason {
            actions.append(.log(.warning, "node \(nodeNames[nodeIndex]): \(reason); \(backlog) batches wait in the spool, retrying with backoff"))
            lastError[nodeIndex] = reason
        }
        actions += scheduleReconnect(advance: nodeCount > 1, now: now)
        return actions
    }

    private mutating func closeCurrent(_ id: Int) -> [Action] {
        phase = .waiting
        requeueInFlight()
        return [.connectionState(node: nodeIndex, "down"), .close(connection: id)]
    }

    private mutating func acknowledged(_ ack: Ack, now: NIODeadline) -> [Action] {
        var actions: [Action] = []
        for sequence in inFlight.keys.sorted() where ack.acknowledges(sequence) {
            inFlight[sequence] = nil
            actions.append(.count("tributary_agent_batches_total", "acknowledged", 1))
            actions.append(.finish(sequence))
        }
        busySince = nil
        if case .connected = phase { actions.append(.connectionState(node: nodeIndex, "connected")) }
        if case .draining(let id) = phase, inFlight.isEmpty {
            actions += closeCurrent(id)
            actions += scheduleReconnect(advance: true, after: .milliseconds(10), now: now)
            return actions + drainedIfIdle()
        }
        return actions + pump(now: now) + drainedIfIdle()
    }

    private func drainedIfIdle() -> [Action] {
        isDrained ? [.drained] : []
    }

    /// Sends queued batches while the window has room.
    private mutating func pump(now: NIODeadline) -> [Action] {
        guard case .connected(let id) = phase else { return [] }
        if let pausedUntil, pausedUntil > now { return [] }
        pausedUntil = nil
        var batch: [UInt64] = []
        while inFlight.count < window, let sequence = dequeue() {
            inFlight[sequence] = now
            batch.append(sequence)
        }
        guard !batch.isEmpty else { return [] }
        return [.send(batch, connection: id), .count("tributary_agent_batches_total", "sent", batch.count)]
    }

    static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
