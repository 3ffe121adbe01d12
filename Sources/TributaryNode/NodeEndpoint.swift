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
    /// Prometheus' `/api/v1/alerts` and `/api/v1/rules` for the tenant.
    case alerts
    case rules
    /// The incidents raised by alerts (docs/incidents.md).
    case incidents
    /// Loki's `GET /loki/api/v1/patterns` (log patterns mined at ingest).
    case lokiPatterns

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
        case .alerts: return "/api/v1/alerts"
        case .rules: return "/api/v1/rules"
        case .incidents: return "/api/v1/incidents"
        case .lokiPatterns: return "/loki/api/v1/patterns"
        }
    }

    public var access: Access {
        switch self {
        case .healthz, .readyz: return .open
        case .metrics: return .metrics
        case .queryRange, .query, .queryRangePost, .queryPost, .partitions, .alerts, .rules, .incidents, .lokiPatterns: return .role(.query)
        // Both show or act on every tenant's partitions.
        case .cluster, .clusterRepair: return .role(.admin)
        }
    }

    /// The endpoint a method and path name, if any.
    static func find(method: String, path: String) -> NodeEndpoint? {
        allCases.first { $0.method == method && $0.path == path }
    }
}
