/// What a query returns, as in Prometheus' API.
///
/// A range query always returns `.matrix` (a scalar or vector expression
/// becomes one series per label set, points at the steps where it has a
/// value); an instant query returns the expression's own type.
public enum QueryResult: Sendable, Equatable {
    /// `1+1`, `scalar(x)`, `time()`: time (ns) and value.
    case scalar(time: Int64, value: Double)
    /// `"text"` as the whole query.
    case string(time: Int64, value: String)
    /// An instant vector, in the order the expression produced it (`sort`,
    /// `topk` order it; otherwise series order is not meaningful).
    case vector([InstantSample])
    /// Series with points (ns), sorted by labels: the answer of a range
    /// query, or of an instant query for a range selector (`x[5m]`).
    case matrix([MetricSeries])
}
