import TributaryModel

/// One alert of an alerting rule: a label set the expression returned.
/// Times are ns since the epoch.
public struct Alert: Sendable, Equatable {
    /// The series' labels without `__name__`, plus the rule's labels and `alertname`.
    public var labels: Labels
    public var annotations: [String: String]
    public var state: AlertState
    /// The value at the last evaluation that returned it.
    public var value: Double
    /// When the expression first returned it (the `for` timer's start).
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    /// When the expression stopped returning it while `keep_firing_for` holds it.
    public var keepFiringSince: Int64?
    /// When it was last handed to Alertmanager (resends every `resend_delay`).
    public var lastSentAt: Int64?
    /// Filled by an incident builder: why this fired (changes, patterns,
    /// related anomalies). Sent as the annotation `explanation`.
    public var explanation: String?
    /// The incident it belongs to (`GET /api/v1/incidents`), sent as the
    /// annotation `incident_id` beside the explanation.
    public var incidentID: String?

    public init(labels: Labels, annotations: [String: String], state: AlertState, value: Double, activeAt: Int64) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
    }

    /// The annotations as sent: the rendered ones plus the explanation.
    public var sentAnnotations: [String: String] {
        var all = annotations
        if let explanation { all["explanation"] = explanation }
        if let incidentID { all["incident_id"] = incidentID }
        return all
    }
}
