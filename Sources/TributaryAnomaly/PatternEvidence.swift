import TributaryModel

/// A log pattern that changed, as incidents need it. The log-pattern miner
/// (or `PatternAnomalyDetector` over its count series) provides these.
///
/// For a new pattern (`isNew`), `rateBefore` is its rate over the first
/// half of its life so far and `rateAfter` over the second half, so
/// `rateAfter > rateBefore` means it is growing; for an old pattern they
/// are its usual rate (the baseline) and its rate since the change.
public protocol PatternEvidence: Sendable {
    /// The template, such as `cache size=<*> entries`.
    var pattern: String { get }
    /// The stream group it was mined in (`app`, `service`, …).
    var labels: Labels { get }
    /// When it was first seen (ns).
    var firstSeen: Int64 { get }
    /// When its change began (ns): `firstSeen` for a new pattern.
    var changedAt: Int64 { get }
    /// Lines per second, see above.
    var rateBefore: Double { get }
    var rateAfter: Double { get }
    /// First seen after the stream's warm-up period.
    var isNew: Bool { get }
}

extension PatternEvidence {
    /// Growing (after ≥ 1.2 × before), falling (after ≤ before / 1.2) or steady.
    public var movement: String {
        if rateAfter >= rateBefore * 1.2, rateAfter > 0 { return "growing" }
        if rateAfter * 1.2 <= rateBefore { return "falling" }
        return "steady"
    }
}
