/// `GET /api/v1/query_range`, as clients read it: Prometheus' envelope
/// (`status`, and `errorType`, `error`, `position` on failure), the data,
/// and the cluster's `partial`/`missing` and `warnings`. The node streams
/// this document by hand; clients decode it with this type.
public struct QueryResponse: Decodable, Sendable, Equatable {
    /// `success` or `error`.
    public var status: String?
    public var errorType: String?
    /// On a 200 answer: the query stopped part-way (the data is incomplete).
    public var error: String?
    /// The offset in the query text of a parse error.
    public var position: Int?
    public var warnings: [String]?
    /// No replica answered for some partitions (see `missing`).
    public var partial: Bool?
    public var missing: [QueryMissingRange]?
    public var data: QueryData?
}
