/// Partitions no replica answered for, in a cluster query answer: a time
/// range and the shards of it that are missing.
public struct QueryMissingRange: Decodable, Sendable, Equatable {
    public var start: String
    public var end: String
    public var shards: Int
    public var missingShards: [Int]

    enum CodingKeys: String, CodingKey {
        case start, end, shards
        case missingShards = "missing_shards"
    }
}
