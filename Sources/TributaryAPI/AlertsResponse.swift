/// `GET /api/v1/alerts`: `{"status":"success","data":{"alerts":[…]}}`,
/// pending and firing alerts (and, with `?resolved=true`, those resolved
/// in the last 15 minutes, state `inactive`). In a cluster the node asks
/// the nodes that evaluate the tenant's other groups (`?local=true`: only
/// this node's own).
public struct AlertsResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var alerts: [AlertStatus]
        public init(alerts: [AlertStatus]) { self.alerts = alerts }
    }

    public var status: String
    public var data: Data
    /// In a cluster: nodes evaluating some of the tenant's groups that did
    /// not answer (their alerts are missing from the list).
    public var warnings: [String]?

    public init(alerts: [AlertStatus], warnings: [String]? = nil) {
        status = "success"
        data = Data(alerts: alerts)
        self.warnings = warnings
    }
}
