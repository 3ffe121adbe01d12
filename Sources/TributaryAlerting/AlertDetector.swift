import TributaryAnomaly

/// What decides, for an alerting rule, which series are in trouble when it
/// is not a plain `expr`: the anomaly detector (`anomaly:`), a trend
/// (`trend:`), or the log-pattern detector (`patterns:`). Each series the
/// detector reports is one alert, with `for`, `keep_firing_for`, labels,
/// annotations, stored state and notifications as for any alerting rule.
public enum AlertDetector: Sendable, Equatable {
    /// `anomaly: <PromQL>`: series outside their robust band (docs/anomalies.md).
    case anomaly(AnomalyRule)
    /// `trend: <PromQL>` with `threshold:`: series whose line reaches it within `within`.
    case trend(TrendRule)
    /// `patterns: <stream selector>`: log patterns that are new or changed rate.
    case patterns(PatternRule)

    /// The keys the detector reads besides the rule's own.
    public var kind: String {
        switch self {
        case .anomaly: return "anomaly"
        case .trend: return "trend"
        case .patterns: return "patterns"
        }
    }
}
