import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import NIOCore
import TributaryModel
import TributaryQuery
import TributaryStorage

/// The node's HTTP API (Hummingbird):
///
/// - `GET /api/v1/query_range?query=…&start=…&end=…&limit=…&direction=…&step=…`:
///   log queries stream `{"status":"success","data":{"resultType":"lines","lines":[…]}}`;
///   metric queries answer in Prometheus' `matrix` format. Needs
///   `Authorization: Bearer <token>`; the token chooses the tenant. Also
///   `/api/v1/query`, and POST with a form body (see `QueryForm`); queries
///   are admitted, timed and run on their own threads by `QueryScheduler`.
/// - `GET /api/v1/partitions`: the tenant's partitions, sealed or open, with digests.
/// - `GET /metrics` (Prometheus text), `GET /healthz`, `GET /readyz`.
final class NodeHTTPServer: Sendable {
    let port: Int
    private let services: ServiceGroup
    private let task: Task<Void, Error>

    private init(port: Int, services: ServiceGroup, task: Task<Void, Error>) {
        self.port = port
        self.services = services
        self.task = task
    }

    static func start(host: String, port: Int, api: NodeAPI, logger: Logger) async throws -> NodeHTTPServer {
        let router = Router(context: NodeRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ in try await api.readiness() }
        router.get("/metrics") { _, _ in await api.metricsPage() }
        router.get("/api/v1/query_range") { request, context in await api.query(request, context: context) }
        router.get("/api/v1/query") { request, context in await api.query(request, context: context) }
        // Prometheus and Grafana may send the parameters as a form body.
        router.post("/api/v1/query_range") { request, context in await api.query(request, context: context) }
        router.post("/api/v1/query") { request, context in await api.query(request, context: context) }
        router.get("/api/v1/partitions") { request, _ in await api.partitions(request) }
        router.get("/api/v1/cluster") { _, _ in await api.clusterStatus() }
        router.post("/api/v1/cluster/repair") { _, _ in await api.repairNow() }
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        var httpLogger = logger
        httpLogger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tributary"),
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
            _ = try await task.value
            throw NodeStartError.cannotListen(address: "\(host):\(port)", reason: "the HTTP server stopped at start")
        }
        return NodeHTTPServer(port: actual, services: services, task: task)
    }

    /// Stops accepting and lets requests under way finish (at most 5 s).
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
