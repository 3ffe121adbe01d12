import Foundation
import Logging
import NIOCore
import NIOPosix
import TributaryCompression
import TributaryModel
import TributaryTLS
import TributaryWire

/// Sends spooled batches to nodes and removes each from the spool once a
/// node acknowledged it. Every decision is `ForwarderStateMachine`'s; this
/// class carries its actions out: connections (TLS, framing), reading
/// batches from the spool, timers, the spool and checkpoint updates, logs
/// and metrics. All state lives on one event loop; the public methods hop
/// onto it.
public final class Forwarder: @unchecked Sendable {
    let eventLoop: EventLoop
    private let settings: ForwarderSettings
    private let ranking: [NodeAddress]
    private let tls: TLSContextStore?
    private let agentID: String
    private let spool: Spool
    private let checkpoints: FileCheckpoints
    private let metrics: AgentMetrics
    private let isolator: BatchIsolator
    private let logger: Logger
    /// The agent's REPORT, sent on connections whose WELCOME granted
    /// `Capabilities.report`, at once and every `reportInterval`.
    private let reporter: (@Sendable () -> AgentReport)?
    private let reportInterval: Duration

    // Event-loop state.
    private var machine: ForwarderStateMachine
    private var channels: [Int: Channel] = [:]
    private var timers: [Scheduled<Void>] = []
    private var drained: [EventLoopPromise<Void>] = []
    /// Connections that accept REPORT frames, and the timer that sends them.
    private var reporting: Set<Int> = []
    private var reportTimer: RepeatedTask?

    public init(settings: ForwarderSettings, tls: TLSContextStore?, agentID: String, spool: Spool, checkpoints: FileCheckpoints,
                metrics: AgentMetrics, deadLetters: DeadLetterFile, compression: CompressionLevel?, eventLoop: EventLoop, logger: Logger,
                reporter: (@Sendable () -> AgentReport)? = nil, reportInterval: Duration = .seconds(60)) {
        self.reporter = reporter
        self.reportInterval = reportInterval
        self.settings = settings
        self.ranking = NodeAddress.ranked(settings.nodes, for: agentID)
        self.tls = tls
        self.agentID = agentID
        self.spool = spool
        self.checkpoints = checkpoints
        self.metrics = metrics
        self.isolator = BatchIsolator(spool: spool, agentID: agentID, compression: compression, deadLetters: deadLetters,
                                      metrics: metrics, logger: logger)
        self.eventLoop = eventLoop
        self.logger = logger
        self.machine = ForwarderStateMachine(settings: settings, nodeNames: ranking.map(\.description))
    }

    // MARK: Public, any thread

    /// Queues what the spool holds from an earlier run and connects.
    public func start() {
        let pending = spool.pendingSequences
        eventLoop.execute { [self] in
            perform(machine.start(pending: pending, now: .now()))
            guard reporter != nil else { return }
            let (seconds, attoseconds) = reportInterval.components
            let interval = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            reportTimer = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
                for id in reporting { sendReport(on: id) }
            }
        }
    }

    /// A new batch is in the spool.
    public func spooled(_ sequence: UInt64) {
        eventLoop.execute { [self] in perform(machine.spooled(sequence, now: .now())) }
    }

    /// Waits (at most `timeout`) until every spooled batch is acknowledged,
    /// then closes the connection. What is left stays in the spool.
    public func stop(timeout: Duration) async {
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in
            if machine.isDrained { promise.succeed() } else { drained.append(promise) }
        }
        let (seconds, attoseconds) = timeout.components
        let timer = eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
            promise.succeed()
        }
        try? await promise.futureResult.get()
        timer.cancel()
        try? await eventLoop.submit { [self] in
            perform(machine.stop())
            reportTimer?.cancel()
            reportTimer = nil
            for timer in timers { timer.cancel() }
            timers = []
        }.get()
    }

    /// Batches waiting to be sent or answered.
    public var backlog: Int {
        (try? eventLoop.submit { [self] in machine.backlog }.wait()) ?? 0
    }

    // MARK: Called by ForwarderConnection on the event loop

    func received(_ frame: Frame, connection id: Int, channel: Channel) {
        if case .welcome = frame { channels[id] = channel }
        perform(machine.received(frame, connection: id, now: .now()))
        if case .welcome(let welcome) = frame, welcome.capabilities.contains(.report), reporter != nil, channels[id] != nil {
            reporting.insert(id)
            sendReport(on: id)
        }
    }

    private func sendReport(on id: Int) {
        guard let reporter, let channel = channels[id] else {
            reporting.remove(id)
            return
        }
        channel.writeAndFlush(Frame.report(reporter()), promise: nil)
    }

    func closed(connection id: Int, error: Error?) {
        reporting.remove(id)
        channels[id] = nil
        perform(machine.closed(connection: id, error: error.map { "\($0)" }, now: .now()))
    }

    // MARK: Actions

    private func perform(_ actions: [ForwarderStateMachine.Action]) {
        for action in actions { perform(action) }
    }

    private func perform(_ action: ForwarderStateMachine.Action) {
        switch action {
        case .connect(let id, let node):
            connect(id, to: ranking[node])
        case .send(let sequences, let id):
            guard let channel = channels[id] else { return }
            var vanished: [UInt64] = []
            for sequence in sequences {
                do {
                    channel.write(Frame.batch(try spool.batch(sequence, agentID: agentID)), promise: nil)
                } catch {
                    // Acknowledged meanwhile (an ACK for a resend): nothing to send.
                    vanished.append(sequence)
                }
            }
            channel.flush()
            for sequence in vanished { perform(machine.vanished(sequence, now: .now())) }
        case .sendPong(let nonce, let id):
            channels[id]?.writeAndFlush(Frame.pong(nonce: nonce), promise: nil)
        case .sendPing(let id):
            channels[id]?.writeAndFlush(Frame.ping(nonce: UInt64.random(in: 1...UInt64.max)), promise: nil)
        case .close(let id):
            channels.removeValue(forKey: id)?.close(promise: nil)
        case .schedule(let timer, let delay):
            remember(eventLoop.scheduleTask(in: delay) { [self] in perform(machine.timerFired(timer, now: .now())) })
        case .finish(let sequence):
            if let positions = spool.remove(sequence) { checkpoints.acknowledged(sequence, positions) }
            metrics.delivered(sequence)
        case .isolate(let sequence, let nack):
            isolate(sequence, nack)
        case .log(let level, let message):
            logger.log(level: level, "\(message)")
            if level >= .warning { metrics.noteError(message) }
        case .count(let name, let label, let amount):
            metrics.add(name, label, amount)
        case .connectionState(let node, let state):
            metrics.connection(ranking[node].description, state)
        case .drained:
            for promise in drained { promise.succeed() }
            drained = []
        }
    }

    /// Splits or dead-letters a refused batch off the event loop (it reads,
    /// writes and syncs the spool), then sends the halves.
    private func isolate(_ sequence: UInt64, _ nack: Nack) {
        let isolator = self.isolator
        let spool = self.spool
        let checkpoints = self.checkpoints
        let metrics = self.metrics
        DispatchQueue.global().async { [self] in
            let outcome = isolator.isolate(sequence, nack)
            // The refused batch leaves the spool only now that its halves
            // (if any) are durable; its file positions are committed, since
            // the halves carry its records.
            if let positions = spool.remove(sequence) { checkpoints.acknowledged(sequence, positions) }
            if case .deadLettered = outcome { metrics.discarded(sequence) }
            eventLoop.execute { [self] in
                var actions: [ForwarderStateMachine.Action] = []
                if case .split(let halves) = outcome {
                    for half in halves { actions += machine.spooled(half, now: .now()) }
                }
                actions += machine.vanished(sequence, now: .now())
                if machine.isDrained { actions.append(.drained) }
                perform(actions)
            }
        }
    }

    private func connect(_ id: Int, to node: NodeAddress) {
        let context = tls?.context
        let serverName = settings.serverName ?? node.host
        let hello = Hello(agentID: agentID, token: Array(settings.token.utf8), capabilities: [.deflate, .report],
                          software: TributaryVersion.software, host: ProcessInfo.processInfo.hostName)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
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
                    if machine.currentConnection == id { channels[id] = channel } else { channel.close(promise: nil) }
                case .failure(let error):
                    perform(machine.connectFailed(connection: id, reason: "cannot connect: \(error)", now: .now()))
                }
            }
    }

    /// Keeps scheduled tasks for `stop()` to cancel; old ones (long run or
    /// cancelled) are forgotten so an outage of days does not grow the list.
    private func remember(_ task: Scheduled<Void>) {
        timers.append(task)
        if timers.count > 64 { timers.removeFirst(timers.count - 64) }
    }
}
