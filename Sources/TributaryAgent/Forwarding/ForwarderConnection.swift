import NIOCore
import TributaryWire

/// The channel handler of one forwarder connection: sends HELLO when the
/// connection is up and hands every frame and the close to the forwarder
/// (same event loop).
final class ForwarderConnection: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let forwarder: Forwarder
    private let id: Int
    private let hello: Hello
    private var error: Error?

    init(forwarder: Forwarder, id: Int, hello: Hello) {
        self.forwarder = forwarder
        self.id = id
        self.hello = hello
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.hello(hello)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        forwarder.received(unwrapInboundIn(data), connection: id, channel: context.channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if self.error == nil { self.error = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        forwarder.closed(connection: id, error: error)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension ForwarderConnection: Sendable {}
