/// The anomaly band as PromQL functions over a range vector (Tributary
/// extensions, not Prometheus'): `anomaly_baseline(x[1d])`,
/// `anomaly_upper(x[7d], 3)`, `anomaly_lower(x[7d], 3)`,
/// `anomaly_score(x[1d])`. Each step's window is the history; its last
/// point is the value judged, the points before it the reference.
enum AnomalyFunction: String {
    case baseline = "anomaly_baseline"
    case upper = "anomaly_upper"
    case lower = "anomaly_lower"
    case score = "anomaly_score"

    /// Whether the second argument is the sensitivity (band half-width in
    /// robust standard deviations).
    var takesSensitivity: Bool { self == .upper || self == .lower }
}
