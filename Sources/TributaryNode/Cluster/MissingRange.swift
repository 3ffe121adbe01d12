import TributaryStorage

/// Partitions missing from an answer, merged into time ranges: adjacent
/// buckets missing the same shards become one range.
struct MissingRange: Sendable, Equatable {
    var start: Int64
    var end: Int64
    var shards: Int
    var missingShards: [Int]

    static func merge(_ keys: [PartitionKey]) -> [MissingRange] {
        var byBucket: [Int64: (end: Int64, shards: Int, missing: [Int])] = [:]
        for key in keys {
            byBucket[key.start, default: (key.end, key.shards, [])].missing.append(key.shard)
        }
        var ranges: [MissingRange] = []
        for (start, bucket) in byBucket.sorted(by: { $0.key < $1.key }) {
            let shards = bucket.missing.sorted()
            if var last = ranges.last, last.end == start, last.shards == bucket.shards, last.missingShards == shards {
                last.end = bucket.end
                ranges[ranges.count - 1] = last
            } else {
                ranges.append(MissingRange(start: start, end: bucket.end, shards: bucket.shards, missingShards: shards))
            }
        }
        return ranges
    }
}
