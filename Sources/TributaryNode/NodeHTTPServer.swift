import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import TributaryHTTPServer
import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryTLS

/// The node's HTTP API (Hummingbird), over HTTPS with the node's `tls:`
/// files (our OpenSSL `TLSHandler`, see `OpenSSLHTTPChannel`), plain HTTP
/// only for `insecure: true`. Routes are `NodeEndpoint`'s cases;
/// `NodeAuthMiddleware` checks credentials and roles for all of them:
///
/// - `GET /api/v1/query_range?query=…&start=…&end=…&limit=…&direction=…&step=…`
///   (role `query`): log queries stream
///   `{"status":"success","data":{"resultType":"lines","lines":[…]}}`;
///   metric queries answer in Prometheus' `matrix` format. The credential's
///   tenant is the data queried.
///   Also `/api/v1/query`, and POST with a form body (`QueryForm`); queries
///   are admitted, timed and run on their own threads by `QueryScheduler`.
/// - `GET /api/v1/partitions` (`query`): the tenant's partitions, sealed or open, with digests.
/// - `GET /api/v1/cluster`, `POST /api/v1/cluster/repair` (`admin`).
/// - `GET /api/v1/alerts[?resolved=true]`, `GET /api/v1/rules` (`query`): Prometheus' shapes.
/// - `GET /api/v1/incidents` (`query`): the incidents alerts raised, newest first.
/// - `GET /loki/api/v1/patterns` (`query`): log patterns, Loki's shape.
/// - `GET /api/v1/fleet`, `/api/v1/fleet/agents/{id}`, `/api/v1/fleet/sources`,
///   `/api/v1/fleet/audit` (`query`): the fleet (docs/fleet.md).
/// - Loki's API under `/loki/api/v1/` (`LokiAPI`, the tail as a WebSocket
///   upgrade: `LokiTail`) and `/ready`; Prometheus' `series`, `labels`,
///   `label/{name}/values`, `metadata`, `status/buildinfo` and
///   `query_exemplars` (`PrometheusAPI`), for Grafana (docs/grafana.md).
/// - `/api/v1/fleet/config[/{group}[/promote|/rollback|/versions/{version}]]`
///   (`admin`): central agent configuration (`NodeAPI+FleetConfig`).
/// - The web console (open; `ConsoleResponder`): `/`, `/explore`, `/graph`,
///   `/patterns`, `/fleet`, `/cluster`, `/alerts` and `/console/{file}`.
/// - `GET /metrics` (any role, or open with `http.metrics_auth: false`),
///   `GET /healthz`, `GET /readyz` (open).
final class NodeHTTPServer: Sendable {
    private let host: HTTPServerHost

    var port: Int { host.port }

    private init(host: HTTPServerHost) {
        self.host = host
    }

    /// - Parameter tls: nil only for `insecure: true` (plain HTTP).
    static func start(host: String, port: Int, api: NodeAPI, tls: TLSContextStore?, credentials: IngestCredentials,
                      settings: NodeHTTPSettings, logger: Logger) async throws -> NodeHTTPServer {
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: NodeAuthMiddleware(credentials: credentials, settings: settings, metrics: api.metrics))
        for endpoint in NodeEndpoint.allCases {
            router.on(RouterPath(endpoint.path), method: HTTPRequest.Method(endpoint.method)!) { request, context in
                try await Self.respond(endpoint, request, context, api: api)
            }
        }
        // WebSocket upgrades (Loki's tail) go to a router of their own; the
        // handler checks credentials itself (`LokiTail`).
        let webSocketRouter = Router(context: NodeRequestContext.self)
        let tail = LokiTail(api: api, auth: NodeAuthMiddleware(credentials: credentials, settings: settings, metrics: api.metrics))
        webSocketRouter.ws(RouterPath(NodeEndpoint.lokiTail.path), shouldUpgrade: { request, _ in
            .upgrade(TailSubprotocol.responseHeaders(for: request.headers))
        }) { inbound, outbound, context in
            await tail.run(inbound: inbound, outbound: outbound, context: context)
        }
        let webSocketResponder = webSocketRouter.buildResponder()
        let http = { @Sendable (responder: @escaping HTTPChannelHandler.Responder) in
            HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: .init())
        }
        let server: HTTPServerBuilder
        if let tls {
            server = HTTPServerBuilder { responder in
                OpenSSLHTTPChannel(base: http(responder), tls: tls)
            }
        } else {
            server = HTTPServerBuilder { responder in http(responder) }
        }
        do {
            return NodeHTTPServer(host: try await HTTPServerHost.start(router: router, server: server, host: host, port: port,
                                                                       serverName: "tributary", logger: logger))
        } catch is HTTPServerHostStopped {
            throw NodeStartError.cannotListen(address: "\(host):\(port)", reason: "the HTTP server stopped at start")
        }
    }

    /// What each endpoint does; the middleware has checked its access.
    private static func respond(_ endpoint: NodeEndpoint, _ request: Request, _ context: NodeRequestContext, api: NodeAPI) async throws -> Response {
        switch endpoint {
        case .healthz: return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        case .readyz: return try await api.readiness()
        case .metrics: return await api.metricsPage()
        case .queryRange, .queryRangePost: return await api.query(request, context: context, tenant: context.tenant, instant: false)
        case .query, .queryPost: return await api.query(request, context: context, tenant: context.tenant, instant: true)
        case .partitions: return await api.partitions(tenant: context.tenant)
        case .cluster: return await api.clusterStatus()
        case .clusterRepair: return await api.repairNow()
        case .alerts: return await api.alerts(request, tenant: context.tenant)
        case .rules: return await api.rules(tenant: context.tenant)
        case .incidents: return await api.incidents(tenant: context.tenant)
        case .lokiPatterns: return await api.logPatterns(request, tenant: context.tenant)
        case .fleet: return await api.fleet(request, tenant: context.tenant)
        case .fleetAgent: return await api.fleetAgent(request, context: context, tenant: context.tenant)
        case .fleetSources: return await api.fleetSources(request, tenant: context.tenant)
        case .fleetAudit: return await api.fleetAudit(request, tenant: context.tenant)
        case .lokiQueryRange, .lokiQueryRangePost, .lokiQuery, .lokiQueryPost, .lokiLabels, .lokiLabelsPost, .lokiLabelValues,
             .lokiSeries, .lokiSeriesPost, .lokiIndexStats, .lokiIndexVolume, .lokiIndexVolumeRange, .lokiBuildInfo:
            return await LokiAPI(api: api).respond(endpoint, request, context)
        case .lokiTail: return LokiTail.notUpgraded()
        case .lokiReady: return try await api.readiness()
        case .promSeries, .promSeriesPost, .promLabels, .promLabelsPost, .promLabelValues, .promMetadata, .promBuildInfo,
             .promQueryExemplars, .promQueryExemplarsPost:
            return await PrometheusAPI(api: api).respond(endpoint, request, context)
        case .lokiPush: return await api.push(request, as: .loki, tenant: context.tenant)
        case .remoteWrite: return await api.push(request, as: .remoteWrite, tenant: context.tenant)
        case .otlpLogs: return await api.push(request, as: .otlpLogs, tenant: context.tenant)
        case .otlpMetrics: return await api.push(request, as: .otlpMetrics, tenant: context.tenant)
        case .fleetConfigList, .fleetConfigGroup, .fleetConfigPush, .fleetConfigPromote, .fleetConfigRollback, .fleetConfigVersion:
            return await api.fleetConfig(endpoint, request, context)
        case .consoleHome, .consoleExplore, .consoleGraph, .consolePatterns, .consoleFleet, .consoleCluster, .consoleAlerts:
            return ConsoleResponder.shell(request)
        case .consoleAsset: return ConsoleResponder.asset(named: context.parameters.get("file") ?? "", request)
        }
    }

    /// Stops accepting and lets requests under way finish (at most 5 s).
    func stop() async {
        await host.stop()
    }
}
