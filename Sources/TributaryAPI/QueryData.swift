/// The `data` of a query answer: `lines` for a log query, `result` (a
/// matrix) for a metric query.
public struct QueryData: Decodable, Sendable, Equatable {
    /// `lines` or `matrix`.
    public var resultType: String?
    public var lines: [QueryLogLine]?
    public var result: [QuerySeries]?
}
