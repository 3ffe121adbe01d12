/// The PromQL subset: a selector, a range function over it, and an
/// aggregation by labels over either.
///
/// `sum by (host) (rate(http_requests_total{code=~"5.."}[5m]))`
public indirect enum MetricQuery: Sendable, Equatable {
    case selector(metric: String, matchers: [LabelMatcher])
    case range(RangeFunction, metric: String, matchers: [LabelMatcher], milliseconds: Int64)
    case aggregate(Aggregation, by: [String], MetricQuery)

    public enum RangeFunction: String, Sendable, CaseIterable {
        case rate, increase
        case avgOverTime = "avg_over_time"
        case minOverTime = "min_over_time"
        case maxOverTime = "max_over_time"
        case sumOverTime = "sum_over_time"
        case countOverTime = "count_over_time"
    }

    public enum Aggregation: String, Sendable, CaseIterable {
        case sum, avg, min, max, count
    }
}

/// A parsed query of either language.
public enum Query: Sendable, Equatable {
    case logs(LogQuery)
    case metrics(MetricQuery)

    /// Parses `text`: a query starting with `{` is a log query, anything
    /// else a metric query. Errors give the position and what was expected.
    public static func parse(_ text: String) throws(QueryError) -> Query {
        var parser = try QueryParser(text)
        return try parser.parseQuery()
    }
}
