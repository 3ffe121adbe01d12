import NIOCore
import Synchronization
import TributaryTLS

/// The TLS handshake of one HTTP connection, for its requests: filled by
/// `TLSConnectionInfo.Recorder` (a handler right above `TLSHandler`) when
/// the handshake completes, read by `NodeRequestContext` through the task
/// local `current`, which `OpenSSLHTTPChannel` sets around the connection's
/// request loop. Requests arrive only after the handshake, so a request
/// always sees it.
final class TLSConnectionInfo: Sendable {
    @TaskLocal static var current: TLSConnectionInfo?

    private let completed = Mutex<TLSHandshakeCompleted?>(nil)

    /// The handshake, once done.
    var handshake: TLSHandshakeCompleted? { completed.withLock { $0 } }

    /// Catches `TLSHandshakeCompleted` and stores it in its info.
    final class Recorder: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        private let info: TLSConnectionInfo

        init(_ info: TLSConnectionInfo) { self.info = info }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let handshake = event as? TLSHandshakeCompleted {
                info.completed.withLock { $0 = handshake }
            }
            context.fireUserInboundEventTriggered(event)
        }
    }
}

@available(*, unavailable)
extension TLSConnectionInfo.Recorder: Sendable {}
