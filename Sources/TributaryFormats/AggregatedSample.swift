/// A metric sample made by aggregation (StatsD) or read from the host.
public struct AggregatedSample: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
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
}
