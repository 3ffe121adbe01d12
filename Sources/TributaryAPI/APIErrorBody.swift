/// The body of every API error, Prometheus' envelope:
/// `{"status":"error","errorType":"…","error":"…"}` plus `position` (the
/// offset in the query text) for a query that does not parse.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public var status: String
    public var errorType: String
    public var error: String
    public var position: Int?

    public init(errorType: String, error: String, position: Int? = nil) {
        self.status = "error"
        self.errorType = errorType
        self.error = error
        self.position = position
    }
}
