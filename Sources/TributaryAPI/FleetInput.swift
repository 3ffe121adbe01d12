/// One input of an agent in `GET /api/v1/fleet`, as the agent reported it.
public struct FleetInput: Codable, Sendable, Equatable {
    public var name: String
    /// `file`, `syslog`, `statsd`, `host_metrics`, `docker`, `prometheus`.
    public var type: String
    /// `running`, `paused` (spool full) or `failed: …`.
    public var state: String
    /// Records read since the agent started.
    public var records: UInt64

    public init(name: String, type: String, state: String, records: UInt64) {
        self.name = name
        self.type = type
        self.state = state
        self.records = records
    }
}
