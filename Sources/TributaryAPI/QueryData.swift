/// The `data` of a query answer: `lines` for a log query; `result` for a
/// metric query, whose shape depends on `resultType` as in Prometheus:
/// `matrix` and `vector` are series (`series`), `scalar` and `string` one
/// point (`point`).
public struct QueryData: Decodable, Sendable, Equatable {
    /// `lines`, `matrix`, `vector`, `scalar` or `string`.
    public var resultType: String?
    public var lines: [QueryLogLine]?
    /// The series of a `matrix` or `vector` result.
    public var result: [QuerySeries]?
    /// The value of a `scalar` or `string` result.
    public var point: QueryPoint?

    private enum CodingKeys: String, CodingKey {
        case resultType, lines, result
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resultType = try container.decodeIfPresent(String.self, forKey: .resultType)
        lines = try container.decodeIfPresent([QueryLogLine].self, forKey: .lines)
        if resultType == "scalar" || resultType == "string" {
            point = try container.decodeIfPresent(QueryPoint.self, forKey: .result)
        } else {
            result = try container.decodeIfPresent([QuerySeries].self, forKey: .result)
        }
    }
}
