/// One observation of a metric series.
public struct MetricSample: Hashable, Sendable {
    public var name: String
    public var labels: Labels
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var value: Double
    public var kind: MetricKind

    public init(name: String, labels: Labels, timestamp: Int64, value: Double, kind: MetricKind) {
        self.name = name
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
        self.kind = kind
    }

    /// Samples are equal when their values have the same bits, so NaN
    /// samples round-trip as equal (IEEE equality would say they differ).
    public static func == (lhs: MetricSample, rhs: MetricSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.kind == rhs.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(labels)
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
        hasher.combine(kind)
    }
}
