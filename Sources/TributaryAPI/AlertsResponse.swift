/// `GET /api/v1/alerts`: `{"status":"success","data":{"alerts":[…]}}`,
/// pending and firing alerts (and, with `?resolved=true`, those resolved
/// in the last 15 minutes, state `inactive`).
public struct AlertsResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var alerts: [AlertStatus]
        public init(alerts: [AlertStatus]) { self.alerts = alerts }
    }

    public var status: String
    public var data: Data

    public init(alerts: [AlertStatus]) {
        status = "success"
        data = Data(alerts: alerts)
    }
}
