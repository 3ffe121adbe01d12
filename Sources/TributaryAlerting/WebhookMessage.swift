/// The body Alertmanager's webhook receiver posts (version 4), which plain
/// webhook receivers already understand; Tributary posts the same for its
/// own `alerting.webhooks`. One message per rule evaluation that made
/// alerts fire or resolve, grouped by status.
public struct WebhookMessage: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var status: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: String
        /// `0001-01-01T00:00:00Z` while firing, as Alertmanager sends it.
        public var endsAt: String
        public var generatorURL: String
        public var fingerprint: String

        public init(status: String, labels: [String: String], annotations: [String: String], startsAt: String, endsAt: String,
                    generatorURL: String, fingerprint: String) {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
            self.fingerprint = fingerprint
        }
    }

    public var version = "4"
    public var groupKey: String
    public var truncatedAlerts = 0
    /// `firing` or `resolved`.
    public var status: String
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    public var externalURL: String
    public var alerts: [Item]

    public init(groupKey: String, status: String, receiver: String, groupLabels: [String: String], commonLabels: [String: String],
                commonAnnotations: [String: String], externalURL: String, alerts: [Item]) {
        self.groupKey = groupKey
        self.status = status
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts
    }
}
