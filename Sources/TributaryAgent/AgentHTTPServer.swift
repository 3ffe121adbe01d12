import Foundation
import Hummingbird
import Logging
import NIOCore
import TributaryHTTPServer
import TributaryModel

/// The agent's local HTTP port (Hummingbird):
/// - `GET /metrics`: Prometheus text (`AgentMetrics`);
/// - `GET /healthz`: `ok` with the spool and connection summary;
/// - `POST /api/v1/events`: one change event as JSON
///   (`{"type":"deploy","message":"v1.4.2","labels":{"service":"checkout"}}`),
///   answered 202 once the event is in the spool.
final class AgentHTTPServer: Sendable {
    private let host: HTTPServerHost

    var port: Int { host.port }

    private init(host: HTTPServerHost) {
        self.host = host
    }

    static func start(host: String, port: Int, metrics: AgentMetrics, events: EventIntake, health: @escaping @Sendable () -> String,
                      logger: Logger) async throws -> AgentHTTPServer {
        let router = Router()
        router.get("/healthz") { _, _ in health() }
        router.get("/metrics") { _, _ in metrics.page() }
        router.post("/api/v1/events") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 10)
            let (status, text) = await events.accept(Data(body.readableBytesView))
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
        }
        do {
            return AgentHTTPServer(host: try await HTTPServerHost.start(router: router, host: host, port: port, serverName: "tributary-agent",
                                                                        logger: logger))
        } catch {
            throw AgentStartError.cannotListen(input: "http_listen", reason: "\(host):\(port) could not be bound")
        }
    }

    /// Stops accepting and lets requests under way finish (at most 5 s).
    func stop() async {
        await host.stop()
    }
}
