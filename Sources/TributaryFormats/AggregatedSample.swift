/// A metric sample made by aggregation (StatsD) or read from the host.
public struct AggregatedSample: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Monotonically increasing (Prometheus counter semantics).
        case counter
        case gauge
    }

    public var name: String
    /// Sorted by key, keys unique.
    public var labels: [KeyValue]
    public var value: Double
    public var kind: Kind

    public init(name: String, labels: [KeyValue] = [], value: Double, kind: Kind) {
        self.name = name
        self.labels = labels
        self.value = value
        self.kind = kind
    }

    /// Orders by name, then labels pairwise by key and value, so outputs
    /// are deterministic.
    static func precedes(_ lhs: AggregatedSample, _ rhs: AggregatedSample) -> Bool {
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        for (left, right) in zip(lhs.labels, rhs.labels) {
            if left.key != right.key { return left.key < right.key }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.labels.count < rhs.labels.count
    }
}
