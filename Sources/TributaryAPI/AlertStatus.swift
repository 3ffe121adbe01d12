/// One alert in `GET /api/v1/alerts` and in a rule of `/api/v1/rules`,
/// in Prometheus' shape (`labels`, `annotations`, `state`, `activeAt`,
/// `value`), plus `firedAt`/`resolvedAt`/`keepFiringSince` when known.
public struct AlertStatus: Codable, Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// `pending`, `firing` or `inactive` (resolved within the last 15 minutes).
    public var state: String
    /// RFC 3339: when the expression first returned it (the `for` timer's start).
    public var activeAt: String
    /// The value at the last evaluation, as Prometheus formats it (`1e+00`).
    public var value: String
    public var firedAt: String?
    public var resolvedAt: String?
    public var keepFiringSince: String?

    public init(labels: [String: String], annotations: [String: String], state: String, activeAt: String, value: String,
                firedAt: String? = nil, resolvedAt: String? = nil, keepFiringSince: String? = nil) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.value = value
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.keepFiringSince = keepFiringSince
    }
}
