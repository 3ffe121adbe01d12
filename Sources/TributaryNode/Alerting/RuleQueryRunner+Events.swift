import TributaryModel
import TributaryQuery

extension RuleQueryRunner {
    /// The change events among the records `query` selects in [from, to]
    /// (at most `limit`, newest first).
    func events(_ query: LogQuery, text: String, tenant: String, from: Int64, to: Int64, limit: Int,
                timeout: Duration) async throws -> [ChangeEvent] {
        let context = QueryContext(budget: QueryBudget(timeout: timeout), pool: queries.pool)
        let lines: [LogLine]
        if let cluster {
            let answer = await cluster.logs(text, query, start: from, end: QueryRequest.next(to), limit: 10_000, direction: .backward,
                                            tenant: tenant, context: context)
            lines = answer.values.first ?? []
        } else {
            let store = self.store
            lines = try await context.bounded {
                let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to))
                return try await context.run { [budget = context.budget] in
                    var scan = LogScan(matchers: query.selector, requiredSubstrings: [], from: from, to: to, budget: budget)
                    var found: [LogLine] = []
                    try scan.run(snapshots) { line in
                        if line.eventType != nil { found.append(line) }
                        return found.count < 10_000
                    }
                    return found
                }
            }
        }
        var events: [ChangeEvent] = []
        for line in lines {
            guard let type = line.eventType else { continue }
            events.append(ChangeEvent(type: type, labels: line.labels, timestamp: line.timestamp, message: line.message))
        }
        events.sort { $0.timestamp > $1.timestamp }
        return Array(events.prefix(limit))
    }
}
