/// One source in `GET /api/v1/fleet/sources`: whatever sent records (a
/// tailed file, a syslog sender, a scrape target, a push client, an
/// agent's StatsD or host metrics), keyed as `docs/fleet.md` describes.
public struct FleetSource: Codable, Sendable, Equatable {
    /// `file:HOST:PATH`, `syslog:HOST`, `scrape:JOB/INSTANCE`, `push:…`, `agent:HOST`.
    public var key: String
    /// `file`, `syslog`, `scrape`, `push`, `agent`.
    public var kind: String
    /// RFC 3339: first and last record the cluster received from it (node clock).
    public var firstSeen: String
    public var lastSeen: String
    /// Records received since first seen (since the nodes started).
    public var records: UInt64
    /// Records in the last full minute.
    public var recordsPerMinute: Double
    /// Its usual rate: records per minute between first and last seen.
    public var usualPerMinute: Double
    /// Silence after which it counts as silent (its usual interval × `fleet.silent_factor`, at least `fleet.silent_after`); nil until it has a baseline.
    public var silentAfterSeconds: Double?
    /// Whether it is silent now.
    public var silent: Bool

    public init(key: String, kind: String, firstSeen: String, lastSeen: String, records: UInt64, recordsPerMinute: Double,
                usualPerMinute: Double, silentAfterSeconds: Double?, silent: Bool) {
        self.key = key
        self.kind = kind
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.records = records
        self.recordsPerMinute = recordsPerMinute
        self.usualPerMinute = usualPerMinute
        self.silentAfterSeconds = silentAfterSeconds
        self.silent = silent
    }

    enum CodingKeys: String, CodingKey {
        case key, kind, records, silent
        case firstSeen = "first_seen", lastSeen = "last_seen", recordsPerMinute = "records_per_minute"
        case usualPerMinute = "usual_per_minute", silentAfterSeconds = "silent_after_s"
    }
}
