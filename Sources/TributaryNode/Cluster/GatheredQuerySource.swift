import TributaryModel
import TributaryQuery

/// A query's data gathered from a cluster's replicas, for the engine to
/// read in memory: raw metric series, and the result of each LogQL range
/// aggregation (merged from every replica's partial aggregates).
final class GatheredQuerySource: QuerySource, Sendable {
    let series: [MetricSeries]
    let logRanges: [(expr: LogRangeExpr, steps: QuerySteps, result: [MetricSeries])]

    init(series: [MetricSeries], logRanges: [(expr: LogRangeExpr, steps: QuerySteps, result: [MetricSeries])]) {
        self.series = series
        self.logRanges = logRanges
    }

    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        series.compactMap { one in
            guard matchers.allSatisfy({ $0.matches(one.labels) }) else { return nil }
            let low = one.timestamps.partitioningIndex { $0 >= from }
            let high = one.timestamps.partitioningIndex { $0 > to }
            guard low < high else { return nil }
            return MetricSeries(labels: one.labels, timestamps: Array(one.timestamps[low..<high]), values: Array(one.values[low..<high]))
        }
    }

    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        guard let found = logRanges.first(where: { $0.expr == expr && $0.steps == steps }) else {
            // Only a range aggregation inside a subquery is evaluated at other times than the query's.
            throw QueryEvaluationError("\(expr.function.rawValue) over log lines inside a subquery is not supported across a cluster; ask one node's own data or drop the subquery")
        }
        return found.result
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array
    /// where every such element follows every other (binary search).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
