import TributaryConsole

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
    /// The fleet inventory and completeness audit (docs/fleet.md).
    case fleet, fleetAgent, fleetSources, fleetAudit

    // Grafana's Loki data source (`LokiAPI`); `lokiTail` is a WebSocket.
    case lokiQueryRange, lokiQueryRangePost, lokiQuery, lokiQueryPost
    case lokiLabels, lokiLabelsPost, lokiLabelValues, lokiSeries, lokiSeriesPost
    case lokiIndexStats, lokiIndexVolume, lokiIndexVolumeRange, lokiTail, lokiBuildInfo, lokiReady
    // The rest of Prometheus' HTTP API (`PrometheusAPI`), beside query and query_range above.
    case promSeries, promSeriesPost, promLabels, promLabelsPost, promLabelValues, promMetadata, promBuildInfo
    case promQueryExemplars, promQueryExemplarsPost
    /// Push APIs of other tools (`PushReceiver`): Loki push, Prometheus
    /// remote write 1.0, OTLP/HTTP logs and metrics.
    case lokiPush
    case remoteWrite
    case otlpLogs
    case otlpMetrics
    /// Central agent configuration (docs/fleet-config.md): list, show a
    /// group, push, promote a canary, roll back, one version's body.
    case fleetConfigList, fleetConfigGroup, fleetConfigPush, fleetConfigPromote, fleetConfigRollback, fleetConfigVersion
    /// The web console (`ConsoleResponder`): its pages all answer with the
    /// same shell, its files are under `/console/`. Open: they hold no data,
    /// the browser then calls the API with the token the user enters.
    case consoleHome, consoleExplore, consoleGraph, consolePatterns, consoleFleet, consoleCluster, consoleAlerts, consoleAsset

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
        case .lokiQueryRangePost, .lokiQueryPost, .lokiLabelsPost, .lokiSeriesPost, .promSeriesPost, .promLabelsPost,
             .promQueryExemplarsPost: return "POST"
        case .lokiPush, .remoteWrite, .otlpLogs, .otlpMetrics: return "POST"
        case .fleetConfigPush: return "PUT"
        case .fleetConfigPromote, .fleetConfigRollback: return "POST"
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
        case .fleet: return "/api/v1/fleet"
        case .fleetAgent: return "/api/v1/fleet/agents/{id}"
        case .fleetSources: return "/api/v1/fleet/sources"
        case .fleetAudit: return "/api/v1/fleet/audit"
        case .lokiQueryRange, .lokiQueryRangePost: return "/loki/api/v1/query_range"
        case .lokiQuery, .lokiQueryPost: return "/loki/api/v1/query"
        case .lokiLabels, .lokiLabelsPost: return "/loki/api/v1/labels"
        case .lokiLabelValues: return "/loki/api/v1/label/{name}/values"
        case .lokiSeries, .lokiSeriesPost: return "/loki/api/v1/series"
        case .lokiIndexStats: return "/loki/api/v1/index/stats"
        case .lokiIndexVolume: return "/loki/api/v1/index/volume"
        case .lokiIndexVolumeRange: return "/loki/api/v1/index/volume_range"
        case .lokiPatterns: return "/loki/api/v1/patterns"
        case .lokiTail: return "/loki/api/v1/tail"
        case .lokiBuildInfo: return "/loki/api/v1/status/buildinfo"
        case .lokiReady: return "/ready"
        case .promSeries, .promSeriesPost: return "/api/v1/series"
        case .promLabels, .promLabelsPost: return "/api/v1/labels"
        case .promLabelValues: return "/api/v1/label/{name}/values"
        case .promMetadata: return "/api/v1/metadata"
        case .promBuildInfo: return "/api/v1/status/buildinfo"
        case .promQueryExemplars, .promQueryExemplarsPost: return "/api/v1/query_exemplars"
        case .lokiPush: return "/loki/api/v1/push"
        case .remoteWrite: return "/api/v1/write"
        case .otlpLogs: return "/v1/logs"
        case .otlpMetrics: return "/v1/metrics"
        case .fleetConfigList: return "/api/v1/fleet/config"
        case .fleetConfigGroup, .fleetConfigPush: return "/api/v1/fleet/config/{group}"
        case .fleetConfigPromote: return "/api/v1/fleet/config/{group}/promote"
        case .fleetConfigRollback: return "/api/v1/fleet/config/{group}/rollback"
        case .fleetConfigVersion: return "/api/v1/fleet/config/{group}/versions/{version}"
        case .consoleHome: return ConsolePage.home.rawValue
        case .consoleExplore: return ConsolePage.explore.rawValue
        case .consoleGraph: return ConsolePage.graph.rawValue
        case .consolePatterns: return ConsolePage.patterns.rawValue
        case .consoleFleet: return ConsolePage.fleet.rawValue
        case .consoleCluster: return ConsolePage.cluster.rawValue
        case .consoleAlerts: return ConsolePage.alerts.rawValue
        case .consoleAsset: return "/console/{file}"
        }
    }

    public var access: Access {
        switch self {
        case .healthz, .readyz, .lokiReady: return .open
        case .consoleHome, .consoleExplore, .consoleGraph, .consolePatterns, .consoleFleet, .consoleCluster, .consoleAlerts, .consoleAsset:
            return .open
        case .metrics: return .metrics
        case .queryRange, .query, .queryRangePost, .queryPost, .partitions, .alerts, .rules, .incidents: return .role(.query)
        case .fleet, .fleetAgent, .fleetSources, .fleetAudit: return .role(.query)
        // Both show or act on every tenant's partitions.
        case .cluster, .clusterRepair: return .role(.admin)
        case .lokiQueryRange, .lokiQueryRangePost, .lokiQuery, .lokiQueryPost, .lokiLabels, .lokiLabelsPost, .lokiLabelValues,
             .lokiSeries, .lokiSeriesPost, .lokiIndexStats, .lokiIndexVolume, .lokiIndexVolumeRange, .lokiPatterns, .lokiTail,
             .lokiBuildInfo, .promSeries, .promSeriesPost, .promLabels, .promLabelsPost, .promLabelValues, .promMetadata,
             .promBuildInfo, .promQueryExemplars, .promQueryExemplarsPost:
            return .role(.query)
        case .lokiPush, .remoteWrite, .otlpLogs, .otlpMetrics: return .role(.ingest)
        // Agent configuration is the fleet's, across tenants.
        case .fleetConfigList, .fleetConfigGroup, .fleetConfigPush, .fleetConfigPromote, .fleetConfigRollback, .fleetConfigVersion:
            return .role(.admin)
        }
    }

    /// The endpoint a method and path name, if any; a `{name}` segment of
    /// an endpoint's path matches any one non-empty segment.
    static func find(method: String, path: String) -> NodeEndpoint? {
        allCases.first { $0.method == method && Self.path(path, matches: $0.path) }
    }

    static func path(_ path: String, matches pattern: String) -> Bool {
        guard pattern.contains("{") else { return path == pattern }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let patterns = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == patterns.count else { return false }
        return zip(segments, patterns).allSatisfy { segment, part in part.hasPrefix("{") ? !segment.isEmpty : segment == part }
    }
}
