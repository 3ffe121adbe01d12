/// One series of a metric query answer: its labels and `[seconds, "value"]` points.
public struct QuerySeries: Decodable, Sendable, Equatable {
    public var metric: [String: String]
    public var values: [QueryPoint]
}
