import NIOCore
import Synchronization
import TributaryTLS

/// What a channel above a `TLSHandler` saw: plaintext, the handshake event,
/// errors and closure. Shared between the event loop and the test.
final class EventLog: Sendable {
    private let state = Mutex<(data: [UInt8], handshake: TLSHandshakeCompleted?, errors: [String], tlsErrors: [TLSError], inactive: Bool)>(([], nil, [], [], false))

    var data: [UInt8] { state.withLock { $0.data } }
    var handshake: TLSHandshakeCompleted? { state.withLock { $0.handshake } }
    var errors: [String] { state.withLock { $0.errors } }
    var tlsErrors: [TLSError] { state.withLock { $0.tlsErrors } }
    var isInactive: Bool { state.withLock { $0.inactive } }

    func append(_ bytes: ByteBuffer) { state.withLock { $0.data += bytes.readableBytesView } }
    func completed(_ event: TLSHandshakeCompleted) { state.withLock { $0.handshake = event } }
    func failed(_ error: Error) {
        state.withLock {
            $0.errors.append(String(describing: error))
            if let tls = error as? TLSError { $0.tlsErrors.append(tls) }
        }
    }
    func closed() { state.withLock { $0.inactive = true } }

    /// Polls until `condition` holds (or fails after `timeout`).
    func wait(timeout: Double = 20, _ what: String, until condition: (EventLog) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(timeout * 1000))
        while !condition(self) {
            guard clock.now < deadline else { throw TestTimeout(what: what, errors: errors) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    let errors: [String]
    var description: String { "timed out waiting for \(what); errors: \(errors)" }
}

/// Records into an `EventLog`; optionally echoes plaintext back.
final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let log: EventLog
    let echo: Bool

    init(log: EventLog, echo: Bool = false) {
        self.log = log
        self.echo = echo
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        log.append(buffer)
        if echo { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted { log.completed(completed) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        log.failed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        log.closed()
        context.fireChannelInactive()
    }
}
