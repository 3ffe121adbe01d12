import NIOCore
import Synchronization

/// Counts bytes that reach the top of a pipeline and completes a promise
/// once `target` bytes arrived. Shared by the benchmark's server side.
final class ByteCounter: Sendable {
    private let state = Mutex<(count: Int, target: Int, promise: EventLoopPromise<Void>?)>((0, 0, nil))

    /// Expects `target` more bytes; the future completes when they arrived.
    func expect(_ target: Int, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        state.withLock { $0 = (0, target, promise) }
        return promise.futureResult
    }

    func add(_ bytes: Int) {
        let done: EventLoopPromise<Void>? = state.withLock { state in
            state.count += bytes
            guard state.count >= state.target, let promise = state.promise else { return nil }
            state.promise = nil
            return promise
        }
        done?.succeed()
    }
}

/// The handler that feeds a `ByteCounter`.
final class CountingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let counter: ByteCounter

    init(counter: ByteCounter) {
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        counter.add(unwrapInboundIn(data).readableBytes)
    }
}

@available(*, unavailable)
extension CountingHandler: Sendable {}
