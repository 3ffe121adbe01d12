import TributaryCompression

/// How the partition store cuts, flushes, seals and expires partitions.
/// All durations in nanoseconds.
public struct PartitionSettings: Sendable, Equatable {
    /// Width of a time bucket; default 1 hour.
    public var span: Int64 = 3_600_000_000_000
    /// A partition is sealed (recompressed into one canonical block per kind
    /// and given a digest) once its bucket ended this long ago and no data
    /// arrived for it for as long; default 10 m.
    public var sealGrace: Int64 = 600_000_000_000
    /// Heads are written to blocks once they hold this much…
    public var flushBytes = 32 << 20
    /// …or once their oldest record arrived this long ago (default 10 s):
    /// the write-ahead log can then be trimmed.
    public var flushInterval: Int64 = 10_000_000_000
    /// Heads plus heads being written: beyond this, ingest answers BUSY
    /// until a flush catches up (memory stays bounded).
    public var maxHeadBytes = 256 << 20
    /// Flushed blocks favour speed; sealing recompresses smaller.
    public var flushLevel: CompressionLevel = .fastest
    /// Sealing is background work done once per partition: level 9 buys
    /// the last few percent of disk.
    public var sealLevel: CompressionLevel = .smallest
    /// Sealed log blocks store each chunk's messages as templates plus
    /// typed columns (block version 2, `TemplatedTextWriter`); false writes
    /// plain lines as before (version 1), for comparing the two formats.
    public var templatedSeals = true
    /// Partitions whose bucket ended longer ago are deleted; default 30 days.
    public var retention: Int64 = 30 * 86_400 * 1_000_000_000
    /// Blocks a seal replaced are deleted this long after it (queries that
    /// listed them may still be reading); default 30 s.
    public var retireDelay: Int64 = 30_000_000_000
    public var tenantRetention: [String: Int64] = [:]

    public init() {}

    public func retention(of tenant: String) -> Int64 {
        tenantRetention[tenant] ?? retention
    }
}
