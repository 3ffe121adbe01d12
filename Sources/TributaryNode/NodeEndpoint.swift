/// Every route of the node's HTTP API with what it needs. The server
/// registers exactly these (an exhaustive `switch` gives each its
/// handler) and `NodeAuthMiddleware` enforces `access`, so a new endpoint
/// cannot exist without saying who may call it; the tests walk `allCases`.
public enum NodeEndpoint: String, Sendable, CaseIterable {
    case healthz
    case readyz
    case metrics
    case queryRange
    case query
    /// The same with a form body (`application/x-www-form-urlencoded`), as
    /// Prometheus clients and Grafana send by default.
    case queryRangePost
    case queryPost
    case partitions
    case cluster
    case clusterRepair
    /// Push APIs of other tools (`PushReceiver`): Loki push, Prometheus
    /// remote write 1.0, OTLP/HTTP logs and metrics.
    case lokiPush
    case remoteWrite
    case otlpLogs
    case otlpMetrics

    /// Who may call an endpoint.
    public enum Access: Sendable, Equatable {
        /// No credentials (probes).
        case open
        /// Credentials with any role, or none when `http.metrics_auth` is false.
        case metrics
        /// Credentials holding this role.
        case role(AccessRole)
    }

    public var method: String {
        switch self {
        case .clusterRepair, .queryRangePost, .queryPost: return "POST"
        case .lokiPush, .remoteWrite, .otlpLogs, .otlpMetrics: return "POST"
        default: return "GET"
        }
    }

    public var path: String {
        switch self {
        case .healthz: return "/healthz"
        case .readyz: return "/readyz"
        case .metrics: return "/metrics"
        case .queryRange, .queryRangePost: return "/api/v1/query_range"
        case .query, .queryPost: return "/api/v1/query"
        case .partitions: return "/api/v1/partitions"
        case .cluster: return "/api/v1/cluster"
        case .clusterRepair: return "/api/v1/cluster/repair"
        case .lokiPush: return "/loki/api/v1/push"
        case .remoteWrite: return "/api/v1/write"
        case .otlpLogs: return "/v1/logs"
        case .otlpMetrics: return "/v1/metrics"
        }
    }

    public var access: Access {
        switch self {
        case .healthz, .readyz: return .open
        case .metrics: return .metrics
        case .queryRange, .query, .queryRangePost, .queryPost, .partitions: return .role(.query)
        // Both show or act on every tenant's partitions.
        case .cluster, .clusterRepair: return .role(.admin)
        case .lokiPush, .remoteWrite, .otlpLogs, .otlpMetrics: return .role(.ingest)
        }
    }

    /// The endpoint a method and path name, if any.
    static func find(method: String, path: String) -> NodeEndpoint? {
        allCases.first { $0.method == method && $0.path == path }
    }
}
