import NIOCore

/// TLS for one connection, as a SwiftNIO channel handler over OpenSSL memory
/// BIOs: ciphertext below it, plaintext above it.
///
/// ```
/// state:  idle ──active──▶ handshaking ──ok──▶ active ──close──▶ closing ──▶ closed
///                               │ error / EOF                 │ close_notify / error / EOF
///                               └──────────────▶ closed ◀─────┘
/// ```
/// - Writes made before the handshake completes wait (with their promises)
///   and go out right after it; nothing is sent in the clear.
/// - Each write is encrypted as it comes and its ciphertext passed down at
///   once, unflushed, with its promise; a flush then sends everything in one
///   gathering write (flush coalescing without copying). Backpressure is the
///   channel's: writability changes pass through, and the memory BIO never
///   holds more than one write's records.
/// - `close` sends close_notify first. A connection that ends without the
///   peer's close_notify after the handshake reports `TLSError.uncleanShutdown`
///   (ragged EOF); one that ends during the handshake,
///   `TLSError.closedDuringHandshake`.
/// - A failed handshake fires the `TLSError` through `errorCaught`, sends
///   OpenSSL's alert and closes the channel. Renegotiation is refused by
///   the context.
public final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        case handshaking
        case active
        case closing
        case closed
    }

    private var state = State.idle
    private let connection: TLSConnection
    private var writesBeforeHandshake: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushBeforeHandshake = false
    private var unflushedPromises: [EventLoopPromise<Void>] = []
    private var receivedCloseNotify = false

    /// Set once the handshake completed.
    public private(set) var handshake: TLSHandshakeCompleted?

    /// - Parameters:
    ///   - context: the client or server context (take it from a
    ///     `TLSContextStore` per connection so reloads apply to new ones).
    ///   - serverHostname: clients: the name or IP the server's certificate
    ///     must carry. Required when the context verifies peers.
    public init(context: TLSContext, serverHostname: String? = nil) throws(TLSError) {
        if context.role == .client, context.configuration.verifyPeer, serverHostname == nil {
            throw .invalidConfiguration("a verifying TLS client needs the server's host name or IP address")
        }
        connection = try TLSConnection(context: context, serverHostname: serverHostname)
    }

    // MARK: Life cycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        start(context)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .handshaking
        if connection.context.role == .client { advanceHandshake(context) }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let previous = state
        state = .closed
        failPendingWrites(ChannelError.ioOnClosedChannel)
        switch previous {
        case .handshaking:
            context.fireErrorCaught(TLSError.closedDuringHandshake)
        case .active where !receivedCloseNotify:
            context.fireErrorCaught(TLSError.uncleanShutdown)
        default:
            break
        }
        context.fireChannelInactive()
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state == .handshaking || state == .active || state == .closing else { return }
        let ciphertext = unwrapInboundIn(data)
        connection.receive(ciphertext)
        if state == .handshaking {
            advanceHandshake(context)
        }
        if state == .active || state == .closing {
            readPlaintext(context, received: ciphertext.readableBytes)
        }
    }

    private func advanceHandshake(_ context: ChannelHandlerContext) {
        switch connection.handshake() {
        case .inProgress:
            sendCiphertext(context, flush: true)
        case .failed(let error):
            fail(context, error)
        case .complete:
            state = .active
            let completed = TLSHandshakeCompleted(
                peer: connection.peerIdentity, version: connection.negotiatedVersion, cipher: connection.negotiatedCipher)
            handshake = completed
            sendCiphertext(context, flush: true)
            context.fireUserInboundEventTriggered(completed)
            let waiting = writesBeforeHandshake
            writesBeforeHandshake = []
            for (buffer, promise) in waiting where state == .active {
                encrypt(context, buffer, promise: promise)
            }
            if flushBeforeHandshake && state == .active {
                flushBeforeHandshake = false
                sendCiphertext(context, flush: true)
            }
        }
    }

    private func readPlaintext(_ context: ChannelHandlerContext, received: Int) {
        // Plaintext is never longer than the ciphertext that carried it.
        var plaintext = context.channel.allocator.buffer(capacity: max(received, 1024))
        let outcome = connection.read(into: &plaintext)
        if plaintext.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(plaintext))
        }
        switch outcome {
        case .wantMore:
            // Reading can produce records to send (TLS 1.3 key updates).
            if connection.pendingCiphertext > 0 { sendCiphertext(context, flush: true) }
        case .closed:
            receivedCloseNotify = true
            if state == .active {
                state = .closing
                connection.shutdown()
                sendCiphertext(context, flush: true)
            }
            context.close(promise: nil)
        case .failed(let error):
            fail(context, error)
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking:
            writesBeforeHandshake.append((buffer, promise))
        case .active:
            encrypt(context, buffer, promise: promise)
        case .closing, .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking:
            flushBeforeHandshake = true
        case .active, .closing:
            sendCiphertext(context, flush: true)
        case .closed:
            break
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode != .input else {
            context.close(mode: mode, promise: promise)
            return
        }
        switch state {
        case .active:
            state = .closing
            connection.shutdown()
            sendCiphertext(context, flush: true)
        case .idle, .handshaking:
            state = .closed
            failPendingWrites(ChannelError.ioOnClosedChannel)
        case .closing, .closed:
            break
        }
        context.close(mode: mode, promise: promise)
    }

    private func encrypt(_ context: ChannelHandlerContext, _ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        if let error = connection.write(buffer) {
            promise?.fail(error)
            fail(context, error)
            return
        }
        if let promise { unflushedPromises.append(promise) }
        sendCiphertext(context, flush: false)
    }

    /// Passes all pending ciphertext down as one buffer, completing the
    /// promises of the plaintext it carries when the channel has written it.
    private func sendCiphertext(_ context: ChannelHandlerContext, flush: Bool) {
        let promises = unflushedPromises
        unflushedPromises = []
        if connection.pendingCiphertext > 0 {
            var ciphertext = context.channel.allocator.buffer(capacity: connection.pendingCiphertext)
            connection.takeCiphertext(into: &ciphertext)
            let promise: EventLoopPromise<Void>?
            switch promises.count {
            case 0: promise = nil
            case 1: promise = promises[0]
            default:
                let combined = context.eventLoop.makePromise(of: Void.self)
                for each in promises { combined.futureResult.cascade(to: each) }
                promise = combined
            }
            context.write(wrapOutboundOut(ciphertext), promise: promise)
        } else {
            for promise in promises { promise.succeed() }
        }
        if flush { context.flush() }
    }

    private func fail(_ context: ChannelHandlerContext, _ error: TLSError) {
        guard state != .closed else { return }
        state = .closed
        // Deliver OpenSSL's alert, if it queued one, before closing.
        sendCiphertext(context, flush: true)
        failPendingWrites(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func failPendingWrites(_ error: Error) {
        let waiting = writesBeforeHandshake
        writesBeforeHandshake = []
        for (_, promise) in waiting { promise?.fail(error) }
        let unflushed = unflushedPromises
        unflushedPromises = []
        for promise in unflushed { promise.fail(error) }
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}
