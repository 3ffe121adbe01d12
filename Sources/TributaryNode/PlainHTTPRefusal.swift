import NIOCore

/// In front of `TLSHandler` on the HTTPS port: a connection whose first
/// byte is an ASCII letter is plain HTTP (a TLS record starts with 0x16),
/// so it gets a readable `400` saying to use https:// instead of a TLS
/// alert that curl shows as garbage; then the connection closes. Anything
/// else passes untouched and the handler removes itself.
final class PlainHTTPRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        let body = "This is the HTTPS port of a Tributary node: use https:// (with the CA that issued the node's certificate, e.g. curl --cacert ca.pem).\n"
        let response = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension PlainHTTPRefusal: Sendable {}
