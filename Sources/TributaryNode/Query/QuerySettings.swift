import TributaryConfig

/// `query:` in node.yaml: how long a query may run and how many run at
/// once. See `NodeConfiguration` for the YAML and defaults.
public struct QuerySettings: Sendable, Equatable {
    /// A query still running after this is stopped and answered 503 timeout.
    public var timeout: Duration = .seconds(120)
    /// Queries running at once on this node (and threads they run on).
    public var maxConcurrency = 4
    /// Queries one tenant may run (or wait for) at once; more are answered 429.
    public var maxConcurrencyPerTenant = 2
    /// How long a query waits for a free slot before it is answered 503.
    public var queueTimeout: Duration = .seconds(10)
    /// Samples a metric query may read, and points it may hold at once
    /// (Prometheus' `--query.max-samples`): beyond, 422 and no answer.
    public var maxSamples = 50_000_000

    public init() {}

    /// Queries that may wait for a slot; beyond, 503 at once.
    var maxQueued: Int { 8 * maxConcurrency }

    static func read(_ section: ConfigReader) throws(ConfigError) -> QuerySettings {
        var settings = QuerySettings()
        settings.timeout = try section.duration("timeout", default: settings.timeout)
        guard settings.timeout >= .milliseconds(100) else { throw section.error("timeout", "expected a duration of at least 100ms, e.g. 2m") }
        settings.maxConcurrency = try section.int("max_concurrency", default: settings.maxConcurrency, range: 1...256)
        settings.maxConcurrencyPerTenant = try section.int("max_concurrency_per_tenant", default: settings.maxConcurrencyPerTenant, range: 1...256)
        settings.queueTimeout = try section.duration("queue_timeout", default: settings.queueTimeout)
        settings.maxSamples = try section.int("max_samples", default: settings.maxSamples, range: 1000...2_000_000_000)
        try section.finish()
        return settings
    }

    /// `2m`, `1.5s`: for messages.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 {
            if seconds % 3600 == 0 && seconds > 0 { return "\(seconds / 3600)h" }
            if seconds % 60 == 0 && seconds > 0 { return "\(seconds / 60)m" }
            return "\(seconds)s"
        }
        return "\(Double(seconds) + Double(attoseconds) / 1e18)s"
    }
}
