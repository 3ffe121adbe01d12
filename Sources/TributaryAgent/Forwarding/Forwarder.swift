import Foundation
import Logging
import NIOCore
import NIOPosix
import TributaryModel
import TributaryTLS
import TributaryWire

/// Sends spooled batches to nodes and removes each from the spool once a
/// node acknowledged it.
///
/// One connection at a time, to the agent's preferred node (see
/// `NodeAddress.ranked`); on failure, REJECT, GOAWAY or lasting BUSY it
/// moves to the next node, and reconnects forever with exponential backoff
/// and full jitter. Up to `window` batches are in flight; an ACK covers
/// every batch up to its cumulative sequence plus its selective ones. A
/// batch not acknowledged goes back to the queue (same sequence), so the
/// node, which deduplicates by (agent, sequence), stores it once.
///
/// Memory is bounded by the window: the queue holds sequence numbers and
/// bodies are read back from the spool when sent. All state lives on one
/// event loop; the public methods hop onto it.
public final class Forwarder: @unchecked Sendable {
    enum Phase: Equatable {
        case idle
        case waiting
        case connecting(Int)
        case connected(Int)
        case draining(Int)
        case stopped
    }

    let eventLoop: EventLoop
    private let settings: ForwarderSettings
    private let ranking: [NodeAddress]
    private let tls: TLSContextStore?
    private let agentID: String
    private let spool: Spool
    private let checkpoints: FileCheckpoints
    private let metrics: AgentMetrics
    private let logger: Logger

    // Event-loop state.
    private var phase = Phase.idle
    private var queue: [UInt64] = []
    private var queueHead = 0
    private var queued: Set<UInt64> = []
    private var inFlight: [UInt64: NIODeadline] = [:]
    private var window = 1
    private var channel: Channel?
    private var connectionID = 0
    private var attempt = 0
    private var nodeIndex = 0
    private var avoidUntil: [Int: NIODeadline] = [:]
    private var pausedUntil: NIODeadline?
    private var busySince: NIODeadline?
    private var lastError: [Int: String] = [:]
    private var timers: [Scheduled<Void>] = []
    private var welcomeLimits: Welcome?
    private var drained: [EventLoopPromise<Void>] = []

    public init(settings: ForwarderSettings, tls: TLSContextStore?, agentID: String, spool: Spool, checkpoints: FileCheckpoints,
                metrics: AgentMetrics, eventLoop: EventLoop, logger: Logger) {
        self.settings = settings
        self.ranking = NodeAddress.ranked(settings.nodes, for: agentID)
        self.tls = tls
        self.agentID = agentID
        self.spool = spool
        self.checkpoints = checkpoints
        self.metrics = metrics
        self.eventLoop = eventLoop
        self.logger = logger
    }

    // MARK: Public, any thread

    /// Queues what the spool holds from an earlier run and connects.
    public func start() {
        let pending = spool.pendingSequences
        eventLoop.execute { [self] in
            for sequence in pending { enqueue(sequence) }
            for node in ranking { metrics.connection(node.description, "down") }
            connect()
        }
    }

    /// A new batch is in the spool.
    public func spooled(_ sequence: UInt64) {
        eventLoop.execute { [self] in
            enqueue(sequence)
            pump()
        }
    }

    /// Waits (at most `timeout`) until every spooled batch is acknowledged,
    /// then closes the connection. What is left stays in the spool.
    public func stop(timeout: Duration) async {
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in
            if queue.count == queueHead && inFlight.isEmpty {
                promise.succeed()
            } else {
                drained.append(promise)
            }
        }
        let timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)) {
            promise.succeed()
        }
        try? await promise.futureResult.get()
        timer.cancel()
        try? await eventLoop.submit { [self] in
            phase = .stopped
            for timer in timers { timer.cancel() }
            timers = []
            channel?.close(promise: nil)
            channel = nil
        }.get()
    }

    /// Batches waiting to be sent or answered.
    public var backlog: Int {
        (try? eventLoop.submit { [self] in queue.count - queueHead + inFlight.count }.wait()) ?? 0
    }

    // MARK: Queue

    private func enqueue(_ sequence: UInt64) {
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

    private func dequeue() -> UInt64? {
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

    private func requeueInFlight() {
        for sequence in inFlight.keys.sorted() { enqueue(sequence) }
        inFlight = [:]
    }

    // MARK: Connection

    private func connect() {
        guard phase == .idle || phase == .waiting else { return }
        let now = NIODeadline.now()
        // The preferred node first, skipping nodes told to stay away.
        var chosen = nodeIndex % ranking.count
        for offset in 0..<ranking.count {
            let candidate = (nodeIndex + offset) % ranking.count
            if (avoidUntil[candidate] ?? now) <= now {
                chosen = candidate
                break
            }
        }
        nodeIndex = chosen
        let node = ranking[chosen]
        connectionID += 1
        let id = connectionID
        phase = .connecting(id)
        metrics.connection(node.description, "connecting")
        let context: TLSContext?
        context = tls?.context
        let serverName = settings.serverName ?? node.host
        let hello = (Hello(
            agentID: agentID, token: Array(settings.token.utf8), capabilities: .deflate,
            software: TributaryVersion.software, host: ProcessInfo.processInfo.hostName))
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(settings.connectTimeout.components.seconds) * 1_000_000_000))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(TLSHandler(context: context, serverHostname: serverName)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(ForwarderConnection(forwarder: self, id: id, hello: hello))
                }
            }
            .connect(host: node.host, port: node.port)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    if phase == .connecting(id) { self.channel = channel } else { channel.close(promise: nil) }
                case .failure(let error):
                    connectionFailed(id, reason: "cannot connect: \(error)")
                }
            }
    }

    /// Reconnects after a backoff, moving to the next node.
    private func scheduleReconnect(advance: Bool, after minimum: TimeAmount = .zero) {
        guard phase != .stopped else { return }
        phase = .waiting
        channel = nil
        if advance { nodeIndex = (nodeIndex + 1) % ranking.count }
        let cap = Double(settings.maxBackoff.components.seconds) + Double(settings.maxBackoff.components.attoseconds) / 1e18
        let base = Double(settings.initialBackoff.components.attoseconds) / 1e18 + Double(settings.initialBackoff.components.seconds)
        let ceiling = min(cap, base * pow(2, Double(min(attempt, 30))))
        attempt += 1
        let delay = max(TimeAmount.nanoseconds(Int64(Double.random(in: 0...ceiling) * 1e9)), minimum)
        remember(eventLoop.scheduleTask(in: delay) { [self] in connect() })
    }

    private func connectionFailed(_ id: Int, reason: String) {
        guard isCurrent(id) else { return }
        let node = ranking[nodeIndex]
        metrics.connection(node.description, "down")
        metrics.add("tributary_agent_connections_total", "failed")
        requeueInFlight()
        if lastError[nodeIndex] != reason {
            logger.warning("node \(node): \(reason); \(spool.pendingCount) batches wait in the spool, retrying with backoff")
            lastError[nodeIndex] = reason
        }
        scheduleReconnect(advance: ranking.count > 1)
    }

    private func isCurrent(_ id: Int) -> Bool {
        switch phase {
        case .connecting(let current), .connected(let current), .draining(let current): return current == id
        default: return false
        }
    }

    // MARK: Frames (called by ForwarderConnection on the event loop)

    func received(_ frame: Frame, connection id: Int, channel: Channel) {
        guard isCurrent(id) else { return }
        let node = ranking[nodeIndex]
        switch frame {
        case .welcome(let welcome):
            self.channel = channel
            phase = .connected(id)
            window = max(1, min(Int(welcome.window), settings.maxWindow))
            welcomeLimits = welcome
            attempt = 0
            lastError[nodeIndex] = nil
            metrics.connection(node.description, "connected")
            metrics.add("tributary_agent_connections_total", "connected")
            logger.info("connected to node \(welcome.nodeID) at \(node) (window \(window)); \(spool.pendingCount) batches to send")
            schedulePing(id, welcome.idleTimeoutMilliseconds)
            pump()
        case .reject(let reject):
            let retry = reject.retryAfterMilliseconds
            logger.error("node \(node) refused this agent: \(reject.reason)\(retry == 0 ? " — fix the agent's token or certificate; retrying every \(settings.maxBackoff)" : "")")
            metrics.add("tributary_agent_connections_total", "rejected")
            lastError[nodeIndex] = "rejected"
            avoidUntil[nodeIndex] = .now() + .milliseconds(Int64(retry == 0 ? 30_000 : retry))
            closeCurrent(channel)
            attempt = max(attempt, 8)
            scheduleReconnect(advance: ranking.count > 1, after: .milliseconds(Int64(retry)))
        case .ack(let ack):
            acknowledged(ack)
        case .nack(let nack):
            guard inFlight.removeValue(forKey: nack.sequence) != nil else { return }
            if nack.disposition == .permanent {
                logger.error("node \(node) refused batch \(nack.sequence) for good (\(nack.code)): \(nack.reason); its records are dropped and counted")
                metrics.add("tributary_agent_dropped_total", "permanent_nack", spool.recordCount(of: nack.sequence))
                metrics.add("tributary_agent_batches_total", "refused")
                finish(nack.sequence)
            } else {
                logger.warning("node \(node) could not store batch \(nack.sequence) (\(nack.code)): \(nack.reason); it will be sent again")
                metrics.add("tributary_agent_batches_total", "retry")
                let sequence = nack.sequence
                remember(eventLoop.scheduleTask(in: .seconds(1)) { [self] in
                    enqueue(sequence)
                    pump()
                })
            }
            pump()
        case .busy(let busy):
            metrics.add("tributary_agent_batches_total", "busy")
            if busy.sequence == 0 { requeueInFlight() } else if inFlight.removeValue(forKey: busy.sequence) != nil { enqueue(busy.sequence) }
            let delay = TimeAmount.milliseconds(Int64(max(busy.retryAfterMilliseconds, 10)))
            pausedUntil = .now() + delay
            metrics.connection(node.description, "busy")
            if busySince == nil {
                busySince = .now()
                logger.warning("node \(node) is busy (\(busy.reason)); waiting \(busy.retryAfterMilliseconds) ms")
            }
            let busyFor = NIODeadline.now() - (busySince ?? .now())
            if ranking.count > 1, busyFor.nanoseconds >= Int64(settings.busyFailover.components.seconds) * 1_000_000_000 {
                logger.warning("node \(node) has been busy for \(busyFor.nanoseconds / 1_000_000) ms: moving to the next node")
                avoidUntil[nodeIndex] = .now() + .seconds(30)
                busySince = nil
                requeueInFlight()
                closeCurrent(channel)
                scheduleReconnect(advance: true)
                return
            }
            remember(eventLoop.scheduleTask(in: delay) { [self] in pump() })
        case .goAway(let goAway):
            logger.notice("node \(node) is going away (\(goAway.code)): \(goAway.reason); finishing batches in flight, then moving on")
            avoidUntil[nodeIndex] = .now() + .seconds(30)
            phase = .draining(id)
            metrics.connection(node.description, "draining")
            if inFlight.isEmpty {
                closeCurrent(channel)
                scheduleReconnect(advance: true, after: .milliseconds(10))
            }
        case .ping(let nonce):
            channel.writeAndFlush(Frame.pong(nonce: nonce), promise: nil)
        default:
            break
        }
    }

    func closed(connection id: Int, error: Error?) {
        guard isCurrent(id) else { return }
        let reason = error.map { "connection failed: \($0)" } ?? "connection closed by the node"
        if case .draining = phase {
            requeueInFlight()
            metrics.connection(ranking[nodeIndex].description, "down")
            scheduleReconnect(advance: true, after: .milliseconds(10))
            return
        }
        connectionFailed(id, reason: reason)
    }

    private func closeCurrent(_ channel: Channel) {
        phase = .waiting
        self.channel = nil
        metrics.connection(ranking[nodeIndex].description, "down")
        requeueInFlight()
        channel.close(promise: nil)
    }

    private func acknowledged(_ ack: Ack) {
        var done: [UInt64] = []
        for sequence in inFlight.keys where ack.acknowledges(sequence) { done.append(sequence) }
        for sequence in done {
            inFlight[sequence] = nil
            metrics.add("tributary_agent_batches_total", "acknowledged")
            finish(sequence)
        }
        busySince = nil
        if case .connected = phase { metrics.connection(ranking[nodeIndex].description, "connected") }
        if case .draining = phase, inFlight.isEmpty, let channel {
            closeCurrent(channel)
            scheduleReconnect(advance: true, after: .milliseconds(10))
            return
        }
        pump()
    }

    /// The batch is done with: out of the spool, its file positions committed.
    private func finish(_ sequence: UInt64) {
        if let positions = spool.remove(sequence) { checkpoints.acknowledged(sequence, positions) }
        metrics.delivered(sequence)
        if queue.count == queueHead && inFlight.isEmpty {
            for promise in drained { promise.succeed() }
            drained = []
        }
    }

    /// Sends queued batches while the window has room.
    private func pump() {
        guard case .connected = phase, let channel else { return }
        if let pausedUntil, pausedUntil > .now() { return }
        pausedUntil = nil
        var wrote = false
        while inFlight.count < window, let sequence = dequeue() {
            let batch: Batch
            do {
                batch = try spool.batch(sequence, agentID: agentID)
            } catch {
                // Acknowledged meanwhile (an ACK for a resend): nothing to send.
                continue
            }
            inFlight[sequence] = .now()
            channel.write(Frame.batch(batch), promise: nil)
            metrics.add("tributary_agent_batches_total", "sent")
            wrote = true
        }
        if wrote { channel.flush() }
    }

    private func schedulePing(_ id: Int, _ idleMilliseconds: UInt32) {
        let interval: TimeAmount = idleMilliseconds == 0 ? .seconds(20) : .milliseconds(Int64(max(idleMilliseconds / 3, 500)))
        remember(eventLoop.scheduleTask(in: interval) { [self] in
            guard isCurrent(id), let channel else { return }
            // A node that sits on batches past the answer timeout is stuck.
            if let oldest = inFlight.values.min(),
               NIODeadline.now() - oldest > .nanoseconds(Int64(settings.answerTimeout.components.seconds) * 1_000_000_000) {
                logger.warning("node \(ranking[nodeIndex]) has not answered a batch for \(settings.answerTimeout): reconnecting")
                closeCurrent(channel)
                scheduleReconnect(advance: ranking.count > 1)
                return
            }
            channel.writeAndFlush(Frame.ping(nonce: UInt64.random(in: 1...UInt64.max)), promise: nil)
            schedulePing(id, idleMilliseconds)
        })
    }

    /// Keeps scheduled tasks for `stop()` to cancel; old ones (long run or
    /// cancelled) are forgotten so an outage of days does not grow the list.
    private func remember(_ task: Scheduled<Void>) {
        timers.append(task)
        if timers.count > 64 { timers.removeFirst(timers.count - 64) }
    }
}
