import Logging
import NIOCore
import NIOHTTP1

/// One connection of the agent's HTTP port, after NIO's HTTP/1.1 server
/// pipeline (which hands over one request at a time, so a posted event
/// answered later cannot be overtaken by the next request). Bodies beyond
/// `AgentHTTPServer.maxBodyBytes` are not kept: the request gets 413.
final class AgentHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: AgentHTTPRoutes
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(routes: AgentHTTPRoutes, logger: Logger) {
        self.routes = routes
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > AgentHTTPServer.maxBodyBytes {
                bodyTooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let request = head else { return }
            head = nil
            guard AgentHTTPRoutes.isEvent(request) else {
                respond(context: context, request: request, routes.answer(request))
                return
            }
            let (routes, posted, tooLarge) = (self.routes, body, bodyTooLarge)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            Task {
                let answer = await routes.acceptEvent(posted, tooLarge: tooLarge)
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.respond(context: context, request: request, answer)
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, request: HTTPRequestHead, _ answer: AgentHTTPRoutes.Answer) {
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "tributary-agent")
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.utf8.count))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: answer.status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: answer.body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("agent HTTP connection: \(error)")
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension AgentHTTPHandler: Sendable {}
