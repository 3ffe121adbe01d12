import NIOCore
import Synchronization
import TributaryWire

/// Latencies and counts shared by every load-generating connection.
final class IngestLoadStatistics: Sendable {
    private let state = Mutex<(records: Int, bytes: Int, latencies: [Double], errors: [String])>((0, 0, [], []))
    private let busyCount = Atomic<Int>(0)

    /// BUSY answers so far (the node asked for a retry: heads full, disk).
    var busyAnswers: Int { busyCount.load(ordering: .relaxed) }

    func busy() { busyCount.add(1, ordering: .relaxed) }

    func acknowledged(records: Int, rawBytes: Int, latencyMilliseconds: Double) {
        state.withLock {
            $0.records += records
            $0.bytes += rawBytes
            $0.latencies.append(latencyMilliseconds)
        }
    }

    func failed(_ error: String) { state.withLock { $0.errors.append(error) } }

    var snapshot: (records: Int, bytes: Int, latencies: [Double], errors: [String]) { state.withLock { $0 } }

    func reset() { state.withLock { $0 = (0, 0, [], []) } }
}

/// One agent connection that keeps `window` batches in flight: after
/// WELCOME it sends, and every ACK frees room for more. Batches come from a
/// pool of pre-encoded bodies; each gets a fresh sequence number. With a
/// pacer, a batch waits for its records' tokens (offered load).
final class IngestLoadClient: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let agentID: String
    private let pool: IngestBatchPool
    private let pacer: LoadPacer?
    private let rawBytesPerBatch: Int
    private let statistics: IngestLoadStatistics
    private let token: String
    private var window = 1
    private var nextSequence: UInt64 = 1
    /// Batches in flight: when each was sent and its records.
    private var sentAt: [UInt64: (at: ContinuousClock.Instant, records: Int)] = [:]
    private var running = true
    /// A retry of `fill` is scheduled (the pacer had no tokens).
    private var paceWaiting = false

    init(agentID: String, token: String, pool: IngestBatchPool, pacer: LoadPacer? = nil, rawBytesPerBatch: Int, statistics: IngestLoadStatistics) {
        self.agentID = agentID
        self.token = token
        self.pool = pool
        self.pacer = pacer
        self.rawBytesPerBatch = rawBytesPerBatch
        self.statistics = statistics
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.hello(Hello(
            agentID: agentID, token: Array(token.utf8), capabilities: .deflate, software: "trib-bench", host: "bench"))), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .welcome(let welcome):
            window = Int(welcome.window)
            fill(context)
        case .ack(let ack):
            let now = ContinuousClock.now
            for (sequence, sent) in sentAt where ack.acknowledges(sequence) {
                sentAt[sequence] = nil
                statistics.acknowledged(records: sent.records, rawBytes: rawBytesPerBatch,
                                        latencyMilliseconds: (now - sent.at) / .milliseconds(1))
            }
            fill(context)
        case .busy(let busy):
            // Resend after the delay the node asked for.
            statistics.busy()
            sentAt[busy.sequence] = nil
            let sequence = busy.sequence
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(busy.retryAfterMilliseconds))) {
                let (client, context) = bound.value
                client.send(sequence, context: context)
                context.flush()
            }
        case .nack(let nack):
            statistics.failed("NACK \(nack.sequence): \(nack.reason)")
        case .reject(let reject):
            statistics.failed("REJECT: \(reject.reason)")
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if running { statistics.failed(String(describing: error)) }
        context.close(promise: nil)
    }

    func stop() {
        running = false
    }

    private func fill(_ context: ChannelHandlerContext) {
        guard running else { return }
        while sentAt.count < window {
            if let pacer, !pacer.take(pool.batch(for: nextSequence).recordCount) {
                waitForPace(context)
                break
            }
            send(nextSequence, context: context)
            nextSequence += 1
        }
        context.flush()
    }

    /// Tries `fill` again shortly (once, however many ACKs arrive meanwhile).
    private func waitForPace(_ context: ChannelHandlerContext) {
        guard !paceWaiting else { return }
        paceWaiting = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .milliseconds(2)) {
            let (client, context) = bound.value
            client.paceWaiting = false
            client.fill(context)
        }
    }

    private func send(_ sequence: UInt64, context: ChannelHandlerContext) {
        var batch = pool.batch(for: sequence)
        batch.agentID = agentID
        batch.sequence = sequence
        sentAt[sequence] = (.now, batch.recordCount)
        context.write(wrapOutboundOut(.batch(batch)), promise: nil)
    }
}

@available(*, unavailable)
extension IngestLoadClient: Sendable {}
