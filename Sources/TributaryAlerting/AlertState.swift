/// Where an alert is in its life, with Prometheus' names.
public enum AlertState: String, Sendable, Equatable, Codable {
    /// The expression returns it, for less than the rule's `for`.
    case pending
    /// Returned for at least `for` (or kept by `keep_firing_for`).
    case firing
    /// Resolved: kept for a while so it is listed and re-sent as resolved.
    case inactive
}
