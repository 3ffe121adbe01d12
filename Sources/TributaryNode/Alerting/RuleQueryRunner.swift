import TributaryModel
import TributaryQuery
import TributaryStorage

/// Evaluates rule expressions for a tenant at one time, the way the
/// node's query API does (`/api/v1/query`): over this node's partitions,
/// or in a cluster over one replica of each partition. Rule queries do not
/// take a query slot (a busy dashboard must not stop alerting) but run on
/// the query threads with a deadline of the group's interval.
struct RuleQueryRunner: Sendable {
    let store: IngestStore
    let cluster: ClusterNode?
    let queries: QueryScheduler

    /// The instant value of `expr` at `time` (ns), as samples; a scalar is
    /// one sample without labels.
    func instant(_ expr: QueryExpr, text: String, tenant: String, at time: Int64, timeout: Duration) async throws -> [InstantSample] {
        let engine = QueryEngine(maxSamples: queries.settings.maxSamples)
        let steps = QuerySteps.instant(time)
        let samples = expr.sampleWindow(steps, lookback: engine.lookback)
        let lines = expr.logWindow(steps)
        let context = QueryContext(budget: QueryBudget(timeout: timeout), pool: queries.pool)
        let result: QueryResult
        if let cluster {
            let source = try await context.bounded {
                try await cluster.querySource(text, expr, steps: steps, samples: samples, lines: lines, tenant: tenant, context: context)
            }
            if !source.gathered.missing.isEmpty {
                throw RuleQueryIncomplete(missing: source.gathered.missing.count)
            }
            result = try await context.run { try engine.instant(expr, at: time, source: source.source) }
        } else {
            let windows = [samples, lines].compactMap { $0 }
            let from = windows.map(\.lowerBound).min() ?? time
            let to = windows.map(\.upperBound).max() ?? time
            let store = self.store
            result = try await context.bounded {
                let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to))
                return try await context.run { [budget = context.budget] in
                    let source = PartitionQuerySource(snapshots: snapshots, budget: budget, maxSamples: engine.maxSamples)
                    return try engine.instant(expr, at: time, source: source)
                }
            }
        }
        switch result {
        case .vector(let samples): return samples
        case .scalar(let time, let value): return [InstantSample(labels: .empty, time: time, value: value)]
        case .string, .matrix: throw RuleQueryIncomplete(missing: 0, detail: "the expression does not evaluate to an instant vector or scalar")
        }
    }
}

/// A rule's query could not see all the data (partitions with no live
/// replica), so its result would be wrong: the evaluation is skipped and
/// the rule's health says why, rather than resolving alerts on half the data.
struct RuleQueryIncomplete: Error, CustomStringConvertible {
    var missing: Int
    var detail: String?

    var description: String {
        detail ?? "\(missing) partition range\(missing == 1 ? "" : "s") had no live replica; not evaluated, to avoid resolving alerts on partial data"
    }
}
