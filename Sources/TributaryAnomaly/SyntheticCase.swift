import TributaryQuery

/// One series of the evaluation suite with the anomalies planted in it
/// (none for a negative case).
public struct SyntheticCase: Sendable {
    public var name: String
    public var series: MetricSeries
    public var anomalies: [LabelledAnomaly]

    public init(name: String, series: MetricSeries, anomalies: [LabelledAnomaly]) {
        self.name = name
        self.series = series
        self.anomalies = anomalies
    }

    /// The metric name (`anomaly_bench_value` or `anomaly_bench_events_total`).
    public var metric: String { series.labels["__name__"] ?? "" }
}
