import TributaryModel
import TributaryQuery

/// A `QuerySource` over series held in memory: what a script's `load`
/// commands wrote. Series holding a native histogram sample are kept only
/// to notice when a query reads them (such a case is skipped, not judged).
public final class MemorySource: QuerySource {
    struct StoredSeries {
        var labels: Labels
        var timestamps: [Int64]
        var values: [Double]
        /// Times of native histogram samples (not representable here).
        var histogramTimes: [Int64]
    }

    private var series: [Labels: StoredSeries] = [:]
    /// Set when a query read a series with a native histogram sample in its window.
    public private(set) var touchedNativeHistogram = false

    public init() {}

    public func clear() {
        series.removeAll()
    }

    public func resetTouched() {
        touchedNativeHistogram = false
    }

    /// Adds samples (time order within one call); a later load may add
    /// more to the same series.
    func append(_ labels: Labels, time: Int64, value: Double) {
        series[labels, default: StoredSeries(labels: labels, timestamps: [], values: [], histogramTimes: [])].insert(time, value)
    }

    func appendHistogram(_ labels: Labels, time: Int64) {
        series[labels, default: StoredSeries(labels: labels, timestamps: [], values: [], histogramTimes: [])].histogramTimes.append(time)
    }

    public func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        var result: [MetricSeries] = []
        for stored in series.values where matchers.allSatisfy({ $0.matches(stored.labels) }) {
            if stored.histogramTimes.contains(where: { $0 >= from && $0 <= to }) { touchedNativeHistogram = true }
            var timestamps: [Int64] = []
            var values: [Double] = []
            for (index, time) in stored.timestamps.enumerated() where time >= from && time <= to {
                timestamps.append(time)
                values.append(stored.values[index])
            }
            if !timestamps.isEmpty { result.append(MetricSeries(labels: stored.labels, timestamps: timestamps, values: values)) }
        }
        return result
    }

    public func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        throw QueryEvaluationError("the PromQL test scripts hold no log lines")
    }
}

extension MemorySource.StoredSeries {
    mutating func insert(_ time: Int64, _ value: Double) {
        if let last = timestamps.last, time <= last {
            if let index = timestamps.firstIndex(where: { $0 >= time }) {
                if timestamps[index] == time {
                    values[index] = value
                } else {
                    timestamps.insert(time, at: index)
                    values.insert(value, at: index)
                }
                return
            }
        }
        timestamps.append(time)
        values.append(value)
    }
}
