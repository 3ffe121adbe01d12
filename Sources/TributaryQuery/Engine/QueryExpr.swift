/// A parsed PromQL or LogQL expression: one tree for both languages, so
/// one evaluator answers both (LogQL metric queries produce the same
/// instant vectors, range vectors, matrices and scalars as PromQL).
///
/// Times and durations are nanoseconds. Positions are not kept in the tree;
/// the parser reports errors with positions, the evaluator reports errors
/// in words (as Prometheus does).
public indirect enum QueryExpr: Sendable, Equatable {
    /// `1`, `1e3`, `0x1f`, `Inf`, `NaN`, or a duration used as a number (`1h` = 3600).
    case number(Double)
    /// `"text"`: only valid where a function or the whole query takes a string.
    case string(String)
    /// `http_requests_total{code="500"} offset 5m @ 1700000000`
    case vector(VectorSelector)
    /// `http_requests_total[5m]`: the selector with its range (ns).
    case matrix(VectorSelector, range: Int64)
    /// `expr[range:step]`; `step` nil means the query's default resolution.
    case subquery(Subquery)
    /// `rate(x[5m])`, `vector(1)`, `label_replace(…)`: the function's
    /// name as written; the evaluator checks it and its arguments.
    case call(function: String, arguments: [QueryExpr])
    /// `sum by (job) (…)`, `topk(3, …)`, `count_values("v", …)`.
    case aggregate(AggregateExpr)
    /// `a + on(job) group_left b`, `a > bool 3`, `a and b`.
    case binary(BinaryExpr)
    /// `-x` (unary plus is dropped by the parser).
    case negate(QueryExpr)
    /// `(x)`: kept so the tree prints as written.
    case parenthesized(QueryExpr)
    /// LogQL: a log query, `{app="api"} |= "error" | json | level="warn"`.
    /// Valid only as the whole query (or inside `logRange`).
    case logs(LogSelectorExpr)
    /// LogQL: a range aggregation over log lines,
    /// `count_over_time({app="api"} | json [5m])`,
    /// `quantile_over_time(0.99, {app="api"} | logfmt | unwrap latency [1m]) by (host)`.
    case logRange(LogRangeExpr)
}
