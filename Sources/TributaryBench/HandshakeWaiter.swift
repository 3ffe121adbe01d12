import NIOCore
import Synchronization
import TributaryTLS

/// Completes when a connection is ready to carry data: at TLS handshake
/// completion (with the cipher's name), or at once for plain TCP.
final class HandshakeWaiter: Sendable {
    private let promise = Mutex<EventLoopPromise<String>?>(nil)
    private let future = Mutex<EventLoopFuture<String>?>(nil)

    var completed: EventLoopFuture<String> { future.withLock { $0! } }

    func handler(on eventLoop: EventLoop, waitForTLS: Bool) -> ChannelHandler {
        let made = eventLoop.makePromise(of: String.self)
        promise.withLock { $0 = made }
        future.withLock { $0 = made.futureResult }
        if !waitForTLS { made.succeed("none") }
        return Handler(promise: made)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<String>

        init(promise: EventLoopPromise<String>) {
            self.promise = promise
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let completed = event as? TLSHandshakeCompleted { promise.succeed(completed.cipher) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.ioOnClosedChannel)
            context.fireChannelInactive()
        }
    }
}
