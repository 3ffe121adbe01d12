/// A metric point as Prometheus writes it: `[seconds, "value"]`.
public struct QueryPoint: Decodable, Sendable, Equatable {
    /// Seconds since the epoch.
    public var seconds: Double
    /// The value as written (`+Inf`, `NaN` and decimals).
    public var value: String

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        seconds = try container.decode(Double.self)
        value = try container.decode(String.self)
    }
}
