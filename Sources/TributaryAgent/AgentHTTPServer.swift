import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TributaryModel

/// The agent's local HTTP port (Hummingbird):
/// - `GET /metrics`: Prometheus text (`AgentMetrics`);
/// - `GET /healthz`: `ok` with the spool and connection summary;
/// - `POST /api/v1/events`: one change event as JSON
///   (`{"type":"deploy","message":"v1.4.2","labels":{"service":"checkout"}}`),
///   answered 202 once the event is in the spool.
final class AgentHTTPServer: Sendable {
    let port: Int
    private let services: ServiceGroup
    private let task: Task<Void, Error>

    private init(port: Int, services: ServiceGroup, task: Task<Void, Error>) {
        self.port = port
        self.services = services
        self.task = task
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
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        var httpLogger = logger
        httpLogger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tributary-agent"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: httpLogger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: httpLogger))
        let task = Task { try await services.run() }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            task.cancel()
            _ = try? await task.value
            throw AgentStartError.cannotListen(input: "http_listen", reason: "\(host):\(port) could not be bound")
        }
        return AgentHTTPServer(port: actual, services: services, task: task)
    }

    func stop() async {
        await services.triggerGracefulShutdown()
        let task = self.task
        let timeout = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        _ = try? await task.value
        timeout.cancel()
    }
}
