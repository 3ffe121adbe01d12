import Logging
import NIOCore
import NIOPosix
import Synchronization
import TributaryFormats
import TributaryModel

/// A `type: statsd` input: UDP packets of StatsD lines, aggregated per
/// `flush_interval` into metric samples (see `StatsDAggregator`).
public final class StatsDInput: Sendable {
    public let name: String
    public let port: Int
    private let channel: Channel
    private let flushTask: RepeatedTask

    private init(name: String, port: Int, channel: Channel, flushTask: RepeatedTask) {
        self.name = name
        self.port = port
        self.channel = channel
        self.flushTask = flushTask
    }

    public static func start(name: String, host: String, port: Int, flushInterval: Duration, maxSeries: Int, labels: Labels,
                             batcher: Batcher, metrics: AgentMetrics, group: EventLoopGroup, logger: Logger) async throws -> StatsDInput {
        let aggregator = SharedAggregator(StatsDAggregator(maxSeries: maxSeries))
        let channel: Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(StatsDHandler(aggregator: aggregator, metrics: metrics, input: name))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw AgentStartError.cannotListen(input: name, reason: "\(error)")
        }
        let interval = TimeAmount.nanoseconds(Int64(flushInterval.components.seconds) * 1_000_000_000
                                              + flushInterval.components.attoseconds / 1_000_000_000)
        let task = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (samples, dropped) = aggregator.flush()
            if dropped > 0 { metrics.add("tributary_agent_dropped_total", "statsd_series_limit", dropped) }
            let records = MetricRecords.records(samples, labels: labels, timestamp: FileInput.now())
            guard !records.isEmpty else { return }
            batcher.submit(records, input: name, bytes: records.count * 32)
        }
        let bound = channel.localAddress?.port ?? port
        logger.info("\(name): StatsD on udp \(bound), flushing every \(flushInterval)")
        return StatsDInput(name: name, port: bound, channel: channel, flushTask: task)
    }

    public func stop() async {
        flushTask.cancel()
        try? await channel.close()
    }
}

/// The aggregator shared by the UDP handler and the flush timer.
final class SharedAggregator: Sendable {
    private let state: Mutex<(aggregator: StatsDAggregator, reportedDrops: Int)>

    init(_ aggregator: StatsDAggregator) { state = Mutex((aggregator, 0)) }

    func add(_ metrics: [StatsDMetric]) {
        state.withLock { state in for metric in metrics { state.aggregator.add(metric) } }
    }

    /// The interval's samples and how many series were newly dropped.
    func flush() -> ([AggregatedSample], Int) {
        state.withLock { state in
            let samples = state.aggregator.flush()
            let dropped = state.aggregator.droppedSeries - state.reportedDrops
            state.reportedDrops = state.aggregator.droppedSeries
            return (samples, dropped)
        }
    }
}

final class StatsDHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let aggregator: SharedAggregator
    private let metrics: AgentMetrics
    private let input: String

    init(aggregator: SharedAggregator, metrics: AgentMetrics, input: String) {
        self.aggregator = aggregator
        self.metrics = metrics
        self.input = input
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data).data
        let (parsed, malformed) = packet.withUnsafeReadableBytes { StatsDParser.parse($0) }
        if malformed > 0 { metrics.add("tributary_agent_input_errors_total", "statsd_malformed", malformed) }
        metrics.add("tributary_agent_bytes_in_total", input, packet.readableBytes)
        aggregator.add(parsed)
    }
}

@available(*, unavailable)
extension StatsDHandler: Sendable {}
