/// One StatsD line: `name:value|type[|@rate][|#tag:value,…]`, as received
/// (names and tag keys are sanitized later, by `StatsDAggregator`).
public struct StatsDMetric: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `c`
        case counter
        /// `g`; `delta`: the value had a sign (`+3`, `-2`) and adjusts the
        /// gauge instead of setting it, as in statsd.
        case gauge(delta: Bool)
        /// `ms`, `h` (histogram) and DogStatsD's `d` (distribution).
        case timer
        /// `s`: the member is `setMember`, `value` is 1.
        case set
    }

    public var name: String
    public var value: Double
    public var kind: Kind
    /// In (0, 1]; 1 when not given.
    public var sampleRate: Double
    /// DogStatsD tags in order; a bare tag (`#canary`) has an empty value.
    public var tags: [KeyValue]
    /// For sets: the member as written.
    public var setMember: String?

    public init(name: String, value: Double, kind: Kind, sampleRate: Double = 1, tags: [KeyValue] = [], setMember: String? = nil) {
        self.name = name
        self.value = value
        self.kind = kind
        self.sampleRate = sampleRate
        self.tags = tags
        self.setMember = setMember
    }
}
