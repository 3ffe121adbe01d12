import TributaryQuery

/// The verdict on one point of a series: its value, the band it was judged
/// against, and its score. No estimate means no verdict (too little
/// history), which is never an anomaly.
public struct AnomalyPoint: Sendable, Equatable {
    public var time: Int64
    public var value: Double
    public var estimate: BaselineEstimate?
    public var isAnomalous: Bool

    public init(time: Int64, value: Double, estimate: BaselineEstimate?, isAnomalous: Bool) {
        self.time = time
        self.value = value
        self.estimate = estimate
        self.isAnomalous = isAnomalous
    }

    public var score: Double? { estimate?.score(of: value) }
}
