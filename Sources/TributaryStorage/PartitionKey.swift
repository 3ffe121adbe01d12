import TributaryModel

/// A partition: one tenant's data for one time bucket
/// `[start, start + span)`. The cluster adds a shard to this key.
public struct PartitionKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let tenant: String
    /// Nanoseconds since the epoch; a multiple of `span`.
    public let start: Int64
    public let span: Int64

    public init(tenant: String, start: Int64, span: Int64) {
        self.tenant = tenant
        self.start = start
        self.span = span
    }

    /// The bucket holding `timestamp`.
    public init(tenant: String, containing timestamp: Int64, span: Int64) {
        let bucket = timestamp >= 0 ? timestamp / span : (timestamp - span + 1) / span
        self.init(tenant: tenant, start: bucket * span, span: span)
    }

    public var end: Int64 { start + span }

    public func overlaps(start: Int64, end: Int64) -> Bool {
        self.start < end && self.end > start
    }

    /// `20261122T060000Z-3600s`: the bucket's start in UTC and its span, so
    /// a listing sorts by time and a changed span never reuses a name.
    public var directoryName: String {
        let seconds = start / 1_000_000_000
        let (year, month, day, secondOfDay) = CivilTime.date(ofSeconds: seconds)
        let pad = CivilTime.pad
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2)
            + pad(secondOfDay % 60, 2) + "Z-" + String(span / 1_000_000_000) + "s"
    }

    /// Parses `directoryName` back; nil for anything else.
    public init?(tenant: String, directoryName name: String) {
        let parts = name.split(separator: "-")
        guard parts.count == 2, parts[0].count == 16, parts[1].hasSuffix("s"),
              let spanSeconds = Int64(parts[1].dropLast()), spanSeconds > 0 else { return nil }
        let text = Array(parts[0].utf8)
        func number(_ range: Range<Int>) -> Int64? { Int64(String(decoding: text[range], as: UTF8.self)) }
        guard text[8] == UInt8(ascii: "T"), text[15] == UInt8(ascii: "Z"),
              let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        let seconds = CivilTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        self.init(tenant: tenant, start: seconds * 1_000_000_000, span: spanSeconds * 1_000_000_000)
        guard directoryName == name, start % span == 0 else { return nil }
    }

    public static func < (a: PartitionKey, b: PartitionKey) -> Bool {
        (a.start, a.tenant, a.span) < (b.start, b.tenant, b.span)
    }

    public var description: String { "\(tenant)/\(directoryName)" }
}
