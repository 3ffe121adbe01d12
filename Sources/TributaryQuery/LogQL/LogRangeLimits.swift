/// Memory bounds of one LogQL range aggregation. Past a bound the query
/// fails with a `LogPipelineError` that says which and what to do, never
/// by running out of memory.
public struct LogRangeLimits: Sendable, Equatable {
    /// Distinct output label sets.
    public var maxSeries: Int
    /// Non-empty (series, interval) aggregates, ~100 bytes each.
    public var maxIntervalAggregates: Int
    /// Raw values kept by `quantile_over_time` and `rate_counter`.
    public var maxSamples: Int

    public init(maxSeries: Int = 50_000, maxIntervalAggregates: Int = 4_000_000, maxSamples: Int = 5_000_000) {
        self.maxSeries = maxSeries
        self.maxIntervalAggregates = maxIntervalAggregates
        self.maxSamples = maxSamples
    }
}
