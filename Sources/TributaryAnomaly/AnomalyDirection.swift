/// Which side of the band counts: `up` for memory or latency, `down` for
/// traffic that must not vanish, `both` by default.
public enum AnomalyDirection: String, Sendable, Codable, CaseIterable {
    case both, up, down

    /// Whether a score beyond `sensitivity` on this side is anomalous.
    public func isAnomalous(score: Double, sensitivity: Double) -> Bool {
        switch self {
        case .both: return abs(score) > sensitivity
        case .up: return score > sensitivity
        case .down: return score < -sensitivity
        }
    }
}
