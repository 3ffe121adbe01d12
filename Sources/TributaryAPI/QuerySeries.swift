/// One series of a metric query answer: its labels and `[seconds, "value"]`
/// points (`values` in a matrix; one `value` in a vector, kept as the only
/// element of `values`).
public struct QuerySeries: Decodable, Sendable, Equatable {
    public var metric: [String: String]
    public var values: [QueryPoint]

    private enum CodingKeys: String, CodingKey {
        case metric, values, value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metric = try container.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
        if let value = try container.decodeIfPresent(QueryPoint.self, forKey: .value) {
            values = [value]
        } else {
            values = try container.decode([QueryPoint].self, forKey: .values)
        }
    }
}
