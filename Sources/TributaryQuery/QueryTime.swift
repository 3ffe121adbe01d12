import TributaryModel

/// Times in query parameters: RFC 3339 (`2026-11-22T06:00:00Z`,
/// `2026-11-22T07:00:00.5+01:00`), a duration before now (`1h`, `30m`,
/// `2d`), `now`, or a Unix time in seconds (`1763791200`, `1763791200.5`,
/// as Grafana sends) — all to nanoseconds since the epoch.
public enum QueryTime {
    public static func parse(_ text: String, now: Int64) throws(QueryError) -> Int64 {
        if text == "now" { return now }
        if let duration = try? parseDuration(text) { return now - duration }
        // Unix seconds that fit in nanoseconds (years 1678–2262).
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 9.2e9 {
            return Int64((seconds * 1e9).rounded())
        }
        if let time = parseRFC3339(text) { return time }
        throw QueryError(position: 0, expected: "a time: RFC 3339 (2026-11-22T06:00:00Z), a duration before now (1h), now, or Unix seconds", found: "\"\(text)\"")
    }

    /// `500ms`, `30s`, `5m`, `1h`, `2d`, `1w`, and combinations (`1h30m`).
    public static func parseDuration(_ text: String) throws(QueryError) -> Int64 {
        let units: [(String, Int64)] = [("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
                                        ("d", 86_400_000_000_000), ("w", 604_800_000_000_000), ("y", 31_536_000_000_000_000)]
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { throw QueryError(position: 0, expected: "a duration such as 5m or 1h", found: "nothing") }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let value = Int64(digits) else {
                throw QueryError(position: text.count - rest.count, expected: "a number in a duration such as 5m or 1h", found: "\"\(rest)\"")
            }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else {
                throw QueryError(position: text.count - rest.count, expected: "a unit: ms, s, m, h, d, w or y", found: rest.isEmpty ? "the end" : "\"\(rest)\"")
            }
            rest = rest.dropFirst(unit.0.count)
            let (scaled, overflow) = value.multipliedReportingOverflow(by: unit.1)
            let (sum, overflowAgain) = total.addingReportingOverflow(scaled)
            guard !overflow, !overflowAgain, sum <= 200 * 31_536_000_000_000_000 else {
                throw QueryError(position: 0, expected: "a duration of at most 200y", found: "\"\(text)\"")
            }
            total = sum
        }
        return total
    }

    /// RFC 3339 with optional fraction (to nanoseconds) and `Z` or an offset.
    public static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int64(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        // Nanoseconds since 1970 fit in 64 bits for years 1678–2262 only;
        // other years are not a time here (found by fuzz-query).
        let seconds = (days * 86_400 + hour * 3600 + minute * 60 + second) - offset
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (time, overflowAgain) = nanoseconds.addingReportingOverflow(fraction)
        guard !overflow, !overflowAgain else { return nil }
        return time
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// RFC 3339 in UTC with nanoseconds: `2026-11-22T06:00:00.123456789Z`.
    public static func format(_ nanoseconds: Int64) -> String {
        // Floor division that cannot overflow at Int64.min.
        var seconds = nanoseconds / 1_000_000_000
        var fraction = nanoseconds % 1_000_000_000
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000_000
        }
        let (year, month, day, secondOfDay) = CivilTime.date(ofSeconds: seconds)
        let pad = CivilTime.pad
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 9))Z"
    }
}
