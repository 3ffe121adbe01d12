import TributaryModel

/// One series: its labels (the metric name is the label `__name__`) and its
/// points, in time order.
///
/// `timestamps` and `values` are parallel arrays rather than an array of
/// points so that storage can hand over decoded columns without copying.
public struct MetricSeries: Sendable, Equatable {
    public var labels: Labels
    /// Nanoseconds since the epoch, ascending.
    public var timestamps: [Int64]
    public var values: [Double]

    public init(labels: Labels, timestamps: [Int64], values: [Double]) {
        self.labels = labels
        self.timestamps = timestamps
        self.values = values
    }
}
