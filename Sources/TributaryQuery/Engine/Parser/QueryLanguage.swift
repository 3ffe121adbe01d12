/// Which language a query is read as.
///
/// The two languages share everything but one construct: a selector in
/// braces without a metric name. In PromQL `{job="api"}` selects series;
/// in LogQL it selects log streams. A named selector (`up{job="api"}`, or
/// `{__name__="up"}`) is always PromQL.
public enum QueryLanguage: Sendable, Equatable {
    /// `{job="api"}` is an instant vector selector.
    case promql
    /// `{app="api"}` is a log stream selector.
    case logql
    /// As `.logql`: a nameless brace selector is a log stream selector, so
    /// `count_over_time({app="x"}[5m])` is a LogQL range aggregation while
    /// `rate(http_requests_total[5m])` stays PromQL.
    case auto
}
