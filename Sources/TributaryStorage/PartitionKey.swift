import TributaryModel

/// A partition: one tenant's data for one time bucket
/// `[start, start + span)` and one shard of the streams in it. A stream's
/// shard is its stream id (mixed) modulo `shards`; a single node uses one
/// shard, so its partitions are whole buckets.
public struct PartitionKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let tenant: String
    /// Nanoseconds since the epoch; a multiple of `span`.
    public let start: Int64
    public let span: Int64
    /// `0..<shards`.
    public let shard: Int
    /// How many shards the bucket was cut into (fixed per topology epoch).
    public let shards: Int

    public init(tenant: String, start: Int64, span: Int64, shard: Int = 0, shards: Int = 1) {
        precondition(shards >= 1 && shard >= 0 && shard < shards, "shard \(shard) of \(shards)")
        self.tenant = tenant
        self.start = start
        self.span = span
        self.shard = shard
        self.shards = shards
    }

    /// The bucket holding `timestamp` (shard 0 of 1).
    public init(tenant: String, containing timestamp: Int64, span: Int64) {
        self.init(tenant: tenant, start: Self.bucketStart(of: timestamp, span: span), span: span)
    }

    /// The partition holding a record of stream `streamID` at `timestamp`.
    public init(tenant: String, containing timestamp: Int64, span: Int64, streamID: UInt64, shards: Int) {
        self.init(tenant: tenant, start: Self.bucketStart(of: timestamp, span: span), span: span,
                  shard: Self.shard(ofStream: streamID, shards: shards), shards: shards)
    }

    public static func bucketStart(of timestamp: Int64, span: Int64) -> Int64 {
        (timestamp >= 0 ? timestamp / span : (timestamp - span + 1) / span) * span
    }

    /// The shard of a stream: its id through a 64-bit finaliser (FNV's
    /// low bits alone spread poorly), modulo `shards`.
    public static func shard(ofStream streamID: UInt64, shards: Int) -> Int {
        guard shards > 1 else { return 0 }
        var z = streamID &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(shards))
    }

    /// Whether `record` belongs here: its time in the bucket and, when the
    /// bucket is sharded, its stream in this shard.
    public func contains(_ record: Record) -> Bool {
        let timestamp = record.timestamp
        return timestamp >= start && timestamp < end && holdsStream(of: record)
    }

    /// Whether `record`'s stream is in this shard (always, unsharded).
    public func holdsStream(of record: Record) -> Bool {
        shards == 1 || Self.shard(ofStream: BlockWriter.streamLabels(of: record).streamID, shards: shards) == shard
    }

    /// The same bucket and shard for another tenant.
    public func with(tenant: String) -> PartitionKey {
        PartitionKey(tenant: tenant, start: start, span: span, shard: shard, shards: shards)
    }

    public var end: Int64 { start + span }

    public func overlaps(start: Int64, end: Int64) -> Bool {
        self.start < end && self.end > start
    }

    /// `20261122T060000Z-3600s`: the bucket's start in UTC and its span, so
    /// a listing sorts by time and a changed span never reuses a name; a
    /// sharded bucket adds `-s2of3` (shard 2 of 3).
    public var directoryName: String {
        shards == 1 ? bucketName : bucketName + "-s\(shard)of\(shards)"
    }

    /// The bucket part of `directoryName`.
    public var bucketName: String {
        let seconds = start / 1_000_000_000
        let (year, month, day, secondOfDay) = CivilTime.date(ofSeconds: seconds)
        let pad = CivilTime.pad
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2)
            + pad(secondOfDay % 60, 2) + "Z-" + String(span / 1_000_000_000) + "s"
    }

    /// Parses `directoryName` back; nil for anything else.
    public init?(tenant: String, directoryName name: String) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 16, parts[1].hasSuffix("s"),
              let spanSeconds = Int64(parts[1].dropLast()), spanSeconds > 0 else { return nil }
        var shard = 0
        var shards = 1
        if parts.count == 3 {
            let shardParts = parts[2].dropFirst().split(separator: "o", maxSplits: 1)
            guard parts[2].hasPrefix("s"), shardParts.count == 2, shardParts[1].hasPrefix("f"),
                  let index = Int(shardParts[0]), let count = Int(shardParts[1].dropFirst()),
                  count > 1, index >= 0, index < count else { return nil }
            shard = index
            shards = count
        }
        let text = Array(parts[0].utf8)
        func number(_ range: Range<Int>) -> Int64? { Int64(String(decoding: text[range], as: UTF8.self)) }
        guard text[8] == UInt8(ascii: "T"), text[15] == UInt8(ascii: "Z"),
              let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        let seconds = CivilTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        // A stray directory name must not trap: checked, then `end` fits too.
        let (startNanoseconds, startOverflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (spanNanoseconds, spanOverflow) = spanSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !startOverflow, !spanOverflow, !startNanoseconds.addingReportingOverflow(spanNanoseconds).overflow else { return nil }
        self.init(tenant: tenant, start: startNanoseconds, span: spanNanoseconds, shard: shard, shards: shards)
        guard directoryName == name, start % span == 0 else { return nil }
    }

    public static func < (a: PartitionKey, b: PartitionKey) -> Bool {
        (a.start, a.tenant, a.span, a.shards, a.shard) < (b.start, b.tenant, b.span, b.shards, b.shard)
    }

    public var description: String { "\(tenant)/\(directoryName)" }
}
