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
/// links neither Hummingbird nor its threads (the lean agent,
/// BENCHMARKS.md). `/metrics` and `/healthz` are answered on the event
/// loop itself (`AgentHTTPHandler`), never through Swift's cooperative
/// thread pool: they must answer while the agent is at its busiest.
final class AgentHTTPServer: Sendable {
    /// The largest event body accepted; larger ones get 413.
    static let maxBodyBytes = 64 << 10

    private let listener: Channel

    /// The port the server listens on (the system's choice for port 0).
    let port: Int

    private init(listener: Channel, port: Int) {
        self.listener = listener
        self.port = port
    }

    static func start(host: String, port: Int, group: EventLoopGroup, metrics: AgentMetrics, events: EventIntake,
                      health: @escaping @Sendable () -> String, logger: Logger) async throws -> AgentHTTPServer {
        let routes = AgentHTTPRoutes(metrics: metrics, events: events, health: health)
        let listener: Channel
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(AgentHTTPHandler(routes: routes, logger: logger))
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw AgentStartError.cannotListen(input: "http_listen", reason: "\(host):\(port) could not be bound (\(error))")
        }
        return AgentHTTPServer(listener: listener, port: listener.localAddress?.port ?? port)
    }

    /// Stops accepting; requests under way finish on their connections.
    func stop() async {
        try? await listener.close()
    }
}
