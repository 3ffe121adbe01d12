/// A period of the cluster's life: from bucket `from` on (until the next
/// epoch), partitions are placed on `members`, cut into `shards` shards.
/// Epochs only ever start in the future when they are added, so a bucket's
/// placement never changes once data was written to it.
public struct TopologyEpoch: Sendable, Hashable {
    /// First bucket (nanoseconds since the epoch) this epoch applies to;
    /// `Int64.min` for the first epoch.
    public var from: Int64
    /// Node ids, in the order written (placement does not depend on it).
    public var members: [String]
    public var shards: Int

    public init(from: Int64, members: [String], shards: Int) {
        self.from = from
        self.members = members
        self.shards = shards
    }
}
