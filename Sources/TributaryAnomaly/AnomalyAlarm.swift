/// A run of anomalous points that lasted at least the minimum duration.
public struct AnomalyAlarm: Sendable, Equatable {
    /// The first anomalous point of the run (ns): "since".
    public var start: Int64
    /// When the run had lasted the minimum duration (ns): when a rule fires.
    public var firedAt: Int64
    /// The last anomalous point of the run (ns).
    public var end: Int64
    /// The score farthest from 0 in the run.
    public var peakScore: Double

    public init(start: Int64, firedAt: Int64, end: Int64, peakScore: Double) {
        self.start = start
        self.firedAt = firedAt
        self.end = end
        self.peakScore = peakScore
    }
}
