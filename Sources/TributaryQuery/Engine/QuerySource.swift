/// Where the evaluator reads data: stored metric samples, and (for LogQL
/// range aggregations) log lines. A node implements it over its partitions,
/// a cluster over its replicas, the conformance runner over memory.
public protocol QuerySource {
    /// The stored samples of every series whose labels match all
    /// `matchers`, each series once, with its points in [from, to] (ns) in
    /// ascending time order. Series without points in the window may be
    /// left out.
    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries]

    /// A LogQL range aggregation evaluated at every step time t of `steps`
    /// over the lines in (t − offset − range, t − offset]: one series per
    /// output label set, with a point at each step where it has a value.
    /// Memory must be bounded by series × steps, never by lines.
    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries]
}
