/// One finding of `GET /api/v1/fleet/audit`.
public struct FleetFinding: Codable, Sendable, Equatable {
    /// `silent_source`, `missing_agent`, `sequence_gap`, `spool_drop` or `udp_drop`.
    public var kind: String
    /// The source key or agent id.
    public var subject: String
    /// RFC 3339: since when (last record, last contact, first report of the loss).
    public var since: String
    /// For the operator, e.g. "usually 3.0 records/min; nothing for 16m".
    public var detail: String

    public init(kind: String, subject: String, since: String, detail: String) {
        self.kind = kind
        self.subject = subject
        self.since = since
        self.detail = detail
    }
}
