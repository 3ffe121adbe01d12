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
        let (year, month, day, secondOfDay) = Self.civil(seconds)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
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
        let seconds = Self.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        self.init(tenant: tenant, start: seconds * 1_000_000_000, span: spanSeconds * 1_000_000_000)
        guard directoryName == name, start % span == 0 else { return nil }
    }

    public static func < (a: PartitionKey, b: PartitionKey) -> Bool {
        (a.start, a.tenant, a.span) < (b.start, b.tenant, b.span)
    }

    public var description: String { "\(tenant)/\(directoryName)" }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// (year, month, day, second of day) of a Unix time in seconds.
    static func civil(_ seconds: Int64) -> (Int64, Int64, Int64, Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day, secondOfDay)
    }
}
