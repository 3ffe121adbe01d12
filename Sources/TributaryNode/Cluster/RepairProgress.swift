/// What anti-entropy repair has done, for status pages and `/metrics`.
public struct RepairProgress: Sendable {
    /// Seconds since the epoch of the last finished pass.
    public var lastPass: Double?
    public var passes = 0
    /// In the last pass: partitions this node replicates that peers also
    /// hold sealed, and how many of them differed or were missing here.
    public var compared = 0
    public var differing = 0
    /// Since start: partitions that received records from a peer, and how many.
    public var repairedPartitions = 0
    public var copiedRecords = 0
    public var lastError: String?
    public var running = false
}
