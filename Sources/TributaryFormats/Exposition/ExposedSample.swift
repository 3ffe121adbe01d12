/// One sample line of a Prometheus or OpenMetrics exposition.
public struct ExposedSample: Sendable, Equatable {
    /// How the sample behaves over time, from its family's `# TYPE`.
    public enum Kind: Sendable, Equatable {
        /// Counters, and the `_bucket`, `_count` and `_sum` series of
        /// histograms and summaries: `rate` applies.
        case counter
        /// Everything else (gauges, quantiles, `_created`, untyped).
        case gauge
    }

    public var name: String
    /// In the order the line gives them; names are valid and unique.
    public var labels: [KeyValue]
    public var value: Double
    /// The sample's own time in nanoseconds since the epoch, when the line
    /// carries one (most targets leave it to the scraper).
    public var timestamp: Int64?
    public var kind: Kind

    public init(name: String, labels: [KeyValue], value: Double, timestamp: Int64? = nil, kind: Kind) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.kind = kind
    }

    /// Equal values have equal bits, so NaN samples compare equal.
    public static func == (lhs: ExposedSample, rhs: ExposedSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.timestamp == rhs.timestamp && lhs.kind == rhs.kind
    }
}
