/// An anomaly planted in a synthetic series and when a detector is expected
/// to notice it.
///
/// An alarm explains this anomaly when the alarm's run overlaps
/// [start, end + settle] (settle: the time a baseline may take to accept
/// the new normal after the event); the anomaly counts as detected when an
/// alarm fires (reaches its minimum duration) in [start, end + lateness].
public struct LabelledAnomaly: Sendable, Equatable {
    public var kind: String
    public var start: Int64
    public var end: Int64
    public var settle: Int64
    public var lateness: Int64

    public init(kind: String, start: Int64, end: Int64, settle: Int64 = 2 * 3_600_000_000_000, lateness: Int64 = 10 * 60_000_000_000) {
        self.kind = kind
        self.start = start
        self.end = end
        self.settle = settle
        self.lateness = lateness
    }

    public func explains(_ alarm: AnomalyAlarm) -> Bool {
        alarm.end >= start && alarm.start <= end + settle
    }

    public func isDetected(by alarm: AnomalyAlarm) -> Bool {
        alarm.firedAt >= start && alarm.firedAt <= end + lateness
    }
}
