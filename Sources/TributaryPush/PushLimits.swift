/// Bounds on one push request (Loki push, remote write, OTLP), checked
/// before and while it is decoded, so that no client controls how much
/// memory a node spends on it. Node configuration: the `push:` section.
public struct PushLimits: Sendable, Equatable {
    /// The body as received (compressed or not); larger: 413.
    public var maxBodyBytes: Int = 16 << 20
    /// The body once decompressed (snappy, gzip); larger: 413, refused
    /// before the excess is allocated.
    public var maxDecompressedBytes: Int = 64 << 20
    /// Streams, time series or OTLP series in one request; more: 413.
    public var maxSeriesPerRequest: Int = 100_000
    /// Labels of one stream or series (the metric name included); more: 400.
    public var maxLabelsPerSeries: Int = 64
    /// Log lines or samples in one request; more: 413.
    public var maxRecordsPerRequest: Int = 1_000_000

    public init() {}

    public static let `default` = PushLimits()
}
