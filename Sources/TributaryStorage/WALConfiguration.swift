/// Sizes of the write-ahead log.
public struct WALConfiguration: Hashable, Sendable {
    /// A segment is closed and a new one started once it holds this much;
    /// also what replay reads into memory at once.
    public var segmentBytes = 64 * 1024 * 1024
    /// The largest payload; a batch frame is at most 8 MiB.
    public var maxRecordBytes = 16 * 1024 * 1024

    public init() {}
}
