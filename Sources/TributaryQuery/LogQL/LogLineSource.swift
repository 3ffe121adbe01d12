/// Where LogQL range aggregations read log lines: a node implements it
/// over its partition blocks, a cluster node over the partitions it holds,
/// tests over memory. `LogRangeAggregator.evaluate` is the
/// `QuerySource.logRange` implementation on top of it.
public protocol LogLineSource {
    /// Calls `visit` with every record whose stream matches all `matchers`
    /// and whose timestamp is in [from, to] (ns), in any order (each
    /// record once). Stops early when `visit` returns false.
    ///
    /// `requiredSubstrings` is a hint: every line the query keeps contains
    /// all of them, so a source may skip blocks its token index rules out
    /// (it may also ignore the hint; the pipeline tests every line anyway).
    func lines(matching matchers: [LabelMatcher], from: Int64, to: Int64, requiredSubstrings: [String],
               visit: (LogRecordView) throws -> Bool) throws
}
