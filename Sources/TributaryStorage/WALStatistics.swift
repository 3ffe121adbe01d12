/// What the write-ahead log has done since it was opened: appends, the
/// syncs they took (fewer with group commit), and how long syncs took, as a
/// cumulative histogram for `/metrics`.
public struct WALStatistics: Sendable, Equatable {
    /// Upper bounds of the sync-latency buckets, in seconds.
    public static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public var appends = 0
    public var syncs = 0
    /// Syncs that took at most `bucketBounds[i]`; the last entry is +Inf.
    public var syncBuckets = [Int](repeating: 0, count: bucketBounds.count + 1)
    public var syncSecondsTotal = 0.0

    public init() {}

    mutating func recordSync(seconds: Double) {
        syncs += 1
        syncSecondsTotal += seconds
        let index = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
        syncBuckets[index] += 1
    }
}
