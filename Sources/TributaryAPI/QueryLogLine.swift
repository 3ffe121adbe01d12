/// One line of a log query answer (its `fields`, an object whose keys may
/// repeat, are not decoded).
public struct QueryLogLine: Decodable, Sendable, Equatable {
    /// RFC 3339 with nanoseconds.
    public var time: String
    /// The timestamp in nanoseconds, as a string.
    public var ns: String?
    public var labels: [String: String]
    public var severity: String?
    /// The change event type, for an event.
    public var event: String?
    public var line: String
}
