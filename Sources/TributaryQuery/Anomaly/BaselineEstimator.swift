/// Computes the baseline of a series at one time from its earlier points.
///
/// Without a period the reference is every point of the history window
/// before the evaluated point (its "recent window"). With a period (a day,
/// a week) the reference is the points within `tolerance` of the same time
/// in each earlier cycle that the window holds, so a daily peak is compared
/// with yesterday's peak, not with the night. The evaluated point itself is
/// never part of its own reference.
public struct BaselineEstimator: Sendable, Equatable {
    /// How far back the reference reaches (ns, > 0).
    public var history: Int64
    /// The seasonal period (ns), or nil.
    public var period: Int64?
    /// Half-width of the window around the same time in earlier cycles (ns).
    public var tolerance: Int64
    /// Fewer reference values than this give no estimate (no verdict
    /// rather than a false alarm on a series that just appeared).
    public var minimumSamples: Int

    public init(history: Int64, period: Int64?, tolerance: Int64? = nil, minimumSamples: Int = BaselineEstimator.defaultMinimumSamples) {
        self.history = history
        self.period = period
        self.tolerance = tolerance ?? period.map(BaselineEstimator.defaultTolerance) ?? 0
        self.minimumSamples = Swift.max(1, minimumSamples)
    }

    public static let defaultMinimumSamples = 10
    /// At most this many earlier cycles are read (the cost of a period much
    /// shorter than the history stays bounded).
    public static let maximumCycles: Int64 = 10_000

    /// A 96th of the period: ±15 minutes around the same time yesterday,
    /// ±105 minutes around the same time last week.
    public static func defaultTolerance(period: Int64) -> Int64 { Swift.max(1, period / 96) }

    /// The estimate for the point at `time` from the points in
    /// (`time` − history, `time`) of `timestamps` (ascending) and `values`.
    public func estimate(timestamps: [Int64], values: [Double], at time: Int64) -> BaselineEstimate? {
        let (start, overflow) = time.subtractingReportingOverflow(history)
        let after = overflow ? Int64.min : start
        // Reference points are strictly after the window's start.
        let firstTime = after == Int64.min ? Int64.min : after + 1
        var reference: [Double] = []
        if let period, period > 0 {
            var cycle: Int64 = 1
            while cycle <= Self.maximumCycles {
                let (shift, shiftOverflow) = period.multipliedReportingOverflow(by: cycle)
                guard !shiftOverflow else { break }
                let (center, centerOverflow) = time.subtractingReportingOverflow(shift)
                guard !centerOverflow else { break }
                let high = center.addingReportingOverflow(tolerance)
                guard !high.overflow, high.partialValue > after else { break }
                let lowEdge = center.subtractingReportingOverflow(tolerance)
                let low = Swift.max(lowEdge.overflow ? Int64.min : lowEdge.partialValue, firstTime)
                var index = Self.firstIndex(in: timestamps, notBefore: low)
                while index < timestamps.count, timestamps[index] <= high.partialValue, timestamps[index] < time {
                    reference.append(values[index])
                    index += 1
                }
                cycle += 1
            }
        } else {
            var index = Self.firstIndex(in: timestamps, notBefore: firstTime)
            while index < timestamps.count, timestamps[index] < time {
                reference.append(values[index])
                index += 1
            }
        }
        guard reference.count >= minimumSamples,
              let (median, spread) = RobustStatistics.locationAndSpread(reference) else { return nil }
        return BaselineEstimate(baseline: median, spread: spread, samples: reference.count, period: period)
    }

    /// The index of the first timestamp ≥ `time` (binary search).
    public static func firstIndex(in timestamps: [Int64], notBefore time: Int64) -> Int {
        var low = 0, high = timestamps.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
