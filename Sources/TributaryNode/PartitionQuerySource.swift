import TributaryModel
import TributaryQuery
import TributaryStorage

/// The query engine's view of one node's partition snapshots: metric
/// samples through `MetricFetch`, log lines for LogQL range aggregations
/// through `LogScan`. Runs on the query pool (synchronous), checking the
/// query's budget as it reads.
final class PartitionQuerySource: QuerySource {
    private var fetch: MetricFetch
    private let snapshots: [PartitionSnapshot]
    private let budget: QueryBudget?
    private var logCorrupt: [BlockError] = []

    init(snapshots: [PartitionSnapshot], budget: QueryBudget?) {
        self.snapshots = snapshots
        self.budget = budget
        fetch = MetricFetch(snapshots: snapshots, budget: budget)
    }

    /// Blocks that failed their checks while reading (their data is absent).
    var corrupt: [BlockError] { fetch.corrupt + logCorrupt }

    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        try fetch.series(matching: matchers, from: from, to: to)
    }

    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        throw QueryEvaluationError("LogQL metric queries are being wired in")
    }
}
