import TributaryModel
import TributaryQuery

extension RuleQueryRunner {
    /// Runs `body` on the query threads over a source holding what `expr`
    /// reads when evaluated at every step of `steps`: the detectors'
    /// (anomaly, trend, incident) way into the tenant's data, over this
    /// node's partitions or, in a cluster, one replica of each partition.
    /// A cluster source missing partitions fails rather than judging half
    /// the data.
    func withSource<T: Sendable>(_ expr: QueryExpr, text: String, tenant: String, steps: QuerySteps, timeout: Duration,
                                 _ body: @escaping @Sendable (any QuerySource) throws -> T) async throws -> T {
        let engine = QueryEngine(maxSamples: queries.settings.maxSamples)
        let samples = expr.sampleWindow(steps, lookback: engine.lookback)
        let lines = expr.logWindow(steps)
        let context = QueryContext(budget: QueryBudget(timeout: timeout), pool: queries.pool)
        if let cluster {
            let source = try await context.bounded {
                try await cluster.querySource(text, expr, steps: steps, samples: samples, lines: lines, tenant: tenant, context: context)
            }
            if !source.gathered.missing.isEmpty { throw RuleQueryIncomplete(missing: source.gathered.missing.count) }
            return try await context.run { try body(source.source) }
        }
        let windows = [samples, lines].compactMap { $0 }
        let from = windows.map(\.lowerBound).min() ?? steps.start
        let to = windows.map(\.upperBound).max() ?? steps.end
        let store = self.store
        return try await context.bounded {
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to))
            return try await context.run { [budget = context.budget] in
                try body(PartitionQuerySource(snapshots: snapshots, budget: budget, maxSamples: engine.maxSamples))
            }
        }
    }
}
