import NIOCore
import TributaryModel

/// One syslog message per UDP datagram. A datagram cannot wait: while the
/// spool is full, messages are dropped and counted (`udp_spool_full`).
final class SyslogDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var builder: SyslogRecordBuilder
    private let batcher: Batcher
    private let metrics: AgentMetrics
    private let maxMessageBytes: Int
    private var records: [Record] = []
    private var bytes = 0

    init(builder: SyslogRecordBuilder, batcher: Batcher, metrics: AgentMetrics, maxMessageBytes: Int) {
        self.builder = builder
        self.batcher = batcher
        self.metrics = metrics
        self.maxMessageBytes = maxMessageBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard batcher.accepting else {
            metrics.add("tributary_agent_dropped_total", "udp_spool_full")
            return
        }
        let source = envelope.remoteAddress.ipAddress ?? "unknown"
        let now = FileInput.now()
        let record = envelope.data.withUnsafeReadableBytes { raw in
            builder.record(UnsafeRawBufferPointer(rebasing: raw.prefix(maxMessageBytes)), source: source, receivedAt: now,
                           part: raw.count > maxMessageBytes ? 1 : nil)
        }
        if envelope.data.readableBytes > maxMessageBytes { metrics.add("tributary_agent_lines_split_total", builder.input) }
        if let record {
            records.append(record)
            bytes += envelope.data.readableBytes
        }
        if records.count >= 5000 { submit() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        submit()
        context.fireChannelReadComplete()
    }

    private func submit() {
        builder.flushCounters()
        guard !records.isEmpty else { return }
        batcher.submit(records, input: builder.input, bytes: bytes)
        records = []
        bytes = 0
    }
}

@available(*, unavailable)
extension SyslogDatagramHandler: Sendable {}
