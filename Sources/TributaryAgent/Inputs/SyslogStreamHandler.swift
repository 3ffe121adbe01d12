import NIOCore
import TributaryModel
import TributarySyslog

/// A TCP or TLS syslog connection: RFC 6587 framing (octet counting or
/// newlines, detected per connection), one record per message. While the
/// spool is full the connection stops reading, so the sender waits
/// (TCP back-pressure) instead of losing messages.
final class SyslogStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var builder: SyslogRecordBuilder
    private let batcher: Batcher
    private let metrics: AgentMetrics
    private var framer: SyslogFramer
    private var records: [Record] = []
    private var bytes = 0
    private var source = "unknown"
    private var part = 0
    private var paused = false

    init(builder: SyslogRecordBuilder, batcher: Batcher, metrics: AgentMetrics, maxMessageBytes: Int) {
        self.builder = builder
        self.batcher = batcher
        self.metrics = metrics
        self.framer = SyslogFramer(maxMessageBytes: maxMessageBytes)
    }

    func channelActive(context: ChannelHandlerContext) {
        source = context.remoteAddress?.ipAddress ?? "unknown"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { framer.append($0) }
        drain(context)
    }

    private func drain(_ context: ChannelHandlerContext) {
        let now = FileInput.now()
        while true {
            let frame: SyslogFrame?
            switch Result(catching: { () throws(SyslogFramingError) -> SyslogFrame? in try framer.next() }) {
            case .success(let next): frame = next
            case .failure(let error):
                metrics.add("tributary_agent_input_errors_total", "syslog_framing")
                context.fireErrorCaught(SyslogInputError.framing(source: source, error))
                context.close(promise: nil)
                return
            }
            guard let frame else { break }
            add(frame, now: now)
            if records.count >= 5000 { submit() }
        }
    }

    private func add(_ frame: SyslogFrame, now: Int64) {
        let partNumber: Int?
        if frame.continued || part > 0 {
            part += 1
            partNumber = part
            if !frame.continued { part = 0 }
            if partNumber == 1 { metrics.add("tributary_agent_lines_split_total", builder.input) }
        } else {
            partNumber = nil
        }
        guard !frame.bytes.isEmpty else { return }
        let record = frame.bytes.withUnsafeBytes { builder.record($0, source: source, receivedAt: now, part: partNumber) }
        if let record {
            records.append(record)
            bytes += frame.bytes.count
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        submit()
        if !batcher.accepting { pause(context) }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let last = try? framer.finish() { add(last, now: FileInput.now()) }
        submit()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    /// Stops reading until the batcher accepts again.
    private func pause(_ context: ChannelHandlerContext) {
        guard !paused else { return }
        paused = true
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { task in
            let (handler, context) = bound.value
            guard handler.batcher.accepting || !context.channel.isActive else { return }
            task.cancel()
            handler.paused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            context.read()
        }
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
extension SyslogStreamHandler: Sendable {}

enum SyslogInputError: Error, CustomStringConvertible {
    case framing(source: String, SyslogFramingError)

    var description: String {
        switch self {
        case .framing(let source, let error): return "syslog from \(source): \(error); closing the connection"
        }
    }
}
