import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The agent's local HTTP port:
/// - `GET /metrics`: Prometheus text (`AgentMetrics`);
/// - `GET /healthz`: `ok` with the spool and connection summary;
/// - `POST /api/v1/events`: one change event as JSON
///   (`{"type":"deploy","message":"v1.4.2","labels":{"service":"checkout"}}`),
///   answered 202 once the event is in the spool.
///
/// Three routes need no web framework: this is SwiftNIO's HTTP/1.1 codec
/// (keep-alive, pipelining) on the agent's own event loops, so the agent
/// links neither Hummingbird nor its thread pool (part of the lean agent,
/// BENCHMARKS.md). Each connection is one task of a discarding task group;
/// one connection's error never reaches the others or the listener.
final class AgentHTTPServer: Sendable {
    /// The largest event body accepted; larger ones get 413.
    static let maxBodyBytes = 64 << 10

    private let listener: Channel
    private let task: Task<Void, Never>

    /// The port the server listens on (the system's choice for port 0).
    let port: Int

    private init(listener: Channel, port: Int, task: Task<Void, Never>) {
        self.listener = listener
        self.port = port
        self.task = task
    }

    static func start(host: String, port: Int, group: EventLoopGroup, metrics: AgentMetrics, events: EventIntake,
                      health: @escaping @Sendable () -> String, logger: Logger) async throws -> AgentHTTPServer {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw AgentStartError.cannotListen(input: "http_listen", reason: "\(host):\(port) could not be bound (\(error))")
        }
        let routes = Routes(metrics: metrics, events: events, health: health)
        let task = Task<Void, Never> {
            await withDiscardingTaskGroup { connections in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await serve(connection, routes: routes, logger: logger) }
                        }
                    }
                } catch {
                    logger.debug("agent HTTP listener closed: \(error)")
                }
            }
        }
        return AgentHTTPServer(listener: server.channel, port: server.channel.localAddress?.port ?? port, task: task)
    }

    /// Stops accepting and lets requests under way finish (at most 5 s).
    func stop() async {
        try? await listener.close()
        let task = self.task
        let timeout = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        await task.value
        timeout.cancel()
    }

    /// What each route answers.
    private struct Routes: Sendable {
        let metrics: AgentMetrics
        let events: EventIntake
        let health: @Sendable () -> String

        func answer(_ head: HTTPRequestHead, body: ByteBuffer, bodyTooLarge: Bool) async -> (HTTPResponseStatus, String, String) {
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            let text = "text/plain; charset=utf-8"
            switch (head.method, path) {
            case (.GET, "/metrics"):
                return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.page())
            case (.GET, "/healthz"):
                return (.ok, text, health())
            case (.POST, "/api/v1/events"):
                if bodyTooLarge {
                    return (.payloadTooLarge, "application/json",
                            #"{"error":"the event is larger than \#(AgentHTTPServer.maxBodyBytes) bytes"}"# + "\n")
                }
                let (status, answer) = await events.accept(Data(body.readableBytesView))
                return (HTTPResponseStatus(statusCode: status), "application/json", answer + "\n")
            case (_, "/metrics"), (_, "/healthz"), (_, "/api/v1/events"):
                return (.methodNotAllowed, text, "\(head.method) is not allowed on \(path)\n")
            default:
                return (.notFound, text, "no such path: \(path) (the agent serves /metrics, /healthz and POST /api/v1/events)\n")
            }
        }
    }

    /// Answers one connection's requests in order until the client closes
    /// it or asks for `Connection: close`.
    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, routes: Routes,
                              logger: Logger) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var bodyTooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        bodyTooLarge = false
                    case .body(var chunk):
                        if body.readableBytes + chunk.readableBytes > maxBodyBytes {
                            bodyTooLarge = true
                        } else {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let (status, contentType, text) = await routes.answer(request, body: body, bodyTooLarge: bodyTooLarge)
                        var headers = HTTPHeaders()
                        headers.add(name: "Server", value: "tributary-agent")
                        headers.add(name: "Content-Type", value: contentType)
                        headers.add(name: "Content-Length", value: String(text.utf8.count))
                        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
                        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
                        if request.method != .HEAD {
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
                        }
                        try await outbound.write(.end(nil))
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("agent HTTP connection ended: \(error)")
        }
    }
}
