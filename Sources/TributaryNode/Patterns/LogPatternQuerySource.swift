import TributaryQuery

/// A node's query source with the pattern counts added as the series
/// `tributary_log_pattern_lines{<group labels>, pattern_id}`, so PromQL
/// (and rules) can use them. Everything else comes from `base`.
struct LogPatternQuerySource<Base: QuerySource>: QuerySource {
    let base: Base
    let patterns: LogPatternRecorder
    let tenant: String

    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        let stored = try base.series(matching: matchers, from: from, to: to)
        // Only a selector that can match the name reads the patterns.
        let names = matchers.filter { $0.name == "__name__" }
        guard names.allSatisfy({ $0.op != .equal || $0.value == LogPatternRecorder.metricName }) else { return stored }
        return stored + patterns.series(tenant: tenant, matching: matchers, from: from, to: to)
    }

    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        try base.logRange(expr, steps: steps)
    }
}
