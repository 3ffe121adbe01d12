import TributaryModel
import TributaryQuery

/// A `QuerySource` over series held in memory: the synthetic benchmark's
/// data and the tests' scenarios, read by the real query engine exactly as
/// a node's partitions are. Log range queries are refused (it holds no
/// log lines; pattern counts are given to it as series).
public final class SeriesMemorySource: QuerySource {
    private var stored: [Labels: MetricSeries] = [:]

    public init() {}

    public init(_ series: [MetricSeries]) {
        for one in series { add(one) }
    }

    /// Adds a series' points (times ascending); points for an existing
    /// series are merged into it in time order.
    public func add(_ series: MetricSeries) {
        guard var existing = stored[series.labels] else {
            stored[series.labels] = series
            return
        }
        var points = zip(existing.timestamps, existing.values).map { ($0, $1) } + zip(series.timestamps, series.values).map { ($0, $1) }
        points.sort { $0.0 < $1.0 }
        existing.timestamps = points.map(\.0)
        existing.values = points.map(\.1)
        stored[series.labels] = existing
    }

    public func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        var result: [MetricSeries] = []
        for one in stored.values where matchers.allSatisfy({ $0.matches(one.labels) }) {
            let low = BaselineEstimator.firstIndex(in: one.timestamps, notBefore: from)
            var high = low
            while high < one.timestamps.count, one.timestamps[high] <= to { high += 1 }
            guard high > low else { continue }
            result.append(MetricSeries(labels: one.labels, timestamps: Array(one.timestamps[low..<high]),
                                       values: Array(one.values[low..<high])))
        }
        return result
    }

    public func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        throw QueryEvaluationError("this in-memory source holds series only, no log lines")
    }
}
