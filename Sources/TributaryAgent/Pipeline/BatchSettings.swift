import TributaryCompression

/// When the batcher cuts a batch and how much it may hold in memory.
public struct BatchSettings: Sendable {
    /// Cut a batch once its records' messages reach this many bytes.
    public var maxBatchBytes = 1 << 20
    /// …or once its oldest record waited this long.
    public var maxBatchAge: Duration = .seconds(1)
    /// Records waiting for the spool beyond this pause inputs that can wait.
    public var maxPendingBytes = 8 << 20
    public var maxBatchRecords = 50_000
    public var compression: CompressionLevel? = .fastest
    /// Records older / further ahead than this (nanoseconds) get the time
    /// the agent received them, the original kept in a field: the node
    /// refuses them otherwise. Match the nodes' `limits.max_record_age`
    /// and `max_record_future`.
    public var maxRecordAge: Int64 = 7 * 86_400 * 1_000_000_000
    public var maxRecordFuture: Int64 = 600 * 1_000_000_000

    public init() {}
}
