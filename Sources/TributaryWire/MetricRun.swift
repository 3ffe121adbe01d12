import TributaryModel

/// Consecutive samples of one series for `MetricBatchEncoder`: indexes
/// into the caller's series list and sample columns.
public struct MetricRun: Sendable, Equatable {
    /// Index into the series the batch is encoded with.
    public var series: Int
    public var kind: MetricKind
    /// Indexes into the timestamp and value columns.
    public var samples: Range<Int>

    public init(series: Int, kind: MetricKind, samples: Range<Int>) {
        self.series = series
        self.kind = kind
        self.samples = samples
    }
}
