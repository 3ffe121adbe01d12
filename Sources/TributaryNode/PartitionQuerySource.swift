import TributaryModel
import TributaryQuery
import TributaryStorage

/// The query engine's view of one node's partition snapshots: metric
/// samples through `MetricFetch`, log lines for LogQL range aggregations
/// through `LogScan`. Runs on the query pool (synchronous), checking the
/// query's budget as it reads.
final class PartitionQuerySource: QuerySource, LogLineSource {
    private var fetch: MetricFetch
    private let snapshots: [PartitionSnapshot]
    private let budget: QueryBudget?
    private var logCorrupt: [BlockError] = []

    init(snapshots: [PartitionSnapshot], budget: QueryBudget?, maxSamples: Int) {
        self.snapshots = snapshots
        self.budget = budget
        fetch = MetricFetch(snapshots: snapshots, budget: budget, maxSamples: maxSamples)
    }

    /// Blocks that failed their checks while reading (their data is absent).
    var corrupt: [BlockError] { fetch.corrupt + logCorrupt }

    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        try fetch.series(matching: matchers, from: from, to: to)
    }

    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        try LogRangeAggregator.evaluate(expr, steps: steps, source: self)
    }

    /// The partial aggregates of `expr` over these snapshots (a cluster
    /// node's share of a query).
    func logRangePartials(_ expr: LogRangeExpr, steps: QuerySteps) throws -> LogRangePartials {
        let aggregator = try LogRangeAggregator(expr, steps: steps)
        let range = aggregator.readRange
        try lines(matching: expr.selector.matchers, from: range.from, to: range.to, requiredSubstrings: aggregator.requiredSubstrings) { record in
            try aggregator.add(record)
            return true
        }
        return aggregator.partials()
    }

    func lines(matching matchers: [LabelMatcher], from: Int64, to: Int64, requiredSubstrings: [String],
               visit: (LogRecordView) throws -> Bool) throws {
        var scan = LogScan(matchers: matchers, requiredSubstrings: requiredSubstrings, from: from, to: to, budget: budget)
        defer { logCorrupt += scan.corrupt }
        try scan.run(snapshots) { line in
            try line.message.withUnsafeReadableBytes { bytes in
                try visit(LogRecordView(timestamp: line.timestamp, stream: line.labels, fields: line.fields, line: bytes))
            }
        }
    }
}
