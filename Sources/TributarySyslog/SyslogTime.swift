/// Calendar arithmetic for syslog timestamps, without Foundation.
enum SyslogTime {
    /// Days from 1970-01-01 to the civil date (proleptic Gregorian).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year of a time in nanoseconds since the epoch (UTC).
    static func year(of nanoseconds: Int64) -> Int {
        let days = Int(nanoseconds / 1_000_000_000 / 86_400) - (nanoseconds < 0 ? 1 : 0)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    static func nanoseconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Int64,
                            offsetSeconds: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), (0...9999).contains(year) else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1_000_000_000 + fraction
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// RFC 3339 at the cursor (`2026-11-22T10:00:00.123+01:00`); the cursor
    /// moves past it only on success.
    static func rfc3339(_ cursor: inout SyslogCursor) -> Int64? {
        var probe = cursor
        guard let year = probe.digits(4), probe.skip(0x2D), let month = probe.digits(2), probe.skip(0x2D), let day = probe.digits(2),
              probe.skip(0x54) || probe.skip(0x74) || probe.skip(0x20),
              let hour = probe.digits(2), probe.skip(0x3A), let minute = probe.digits(2), probe.skip(0x3A), let second = probe.digits(2)
        else { return nil }
        var fraction: Int64 = 0
        if probe.skip(0x2E) {
            var count = 0
            while let byte = probe.peek(), byte >= 0x30, byte <= 0x39 {
                if count < 9 { fraction = fraction * 10 + Int64(byte - 0x30) }
                count += 1
                probe.position += 1
            }
            guard count > 0 else { return nil }
            if count < 9 { for _ in count..<9 { fraction *= 10 } }
        }
        var offset = 0
        if probe.skip(0x5A) || probe.skip(0x7A) {
            offset = 0
        } else if let sign = probe.peek(), sign == 0x2B || sign == 0x2D {
            probe.position += 1
            guard let hours = probe.digits(2), probe.skip(0x3A), let minutes = probe.digits(2) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == 0x2D ? -1 : 1)
        } else {
            // No zone (syslog-ng's loggen, some devices): UTC.
            offset = 0
        }
        guard let time = nanoseconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                     fraction: fraction, offsetSeconds: offset) else { return nil }
        cursor = probe
        return time
    }

    /// BSD `Mmm dd hh:mm:ss` (day space-padded, optional `.fff`); the
    /// cursor moves past it only on success.
    static func bsd(_ cursor: inout SyslogCursor, receivedAt: Int64, offsetSeconds: Int) -> Int64? {
        var probe = cursor
        guard let a = probe.peek(), let b = probe.peek(1), let c = probe.peek(2),
              let month = months.firstIndex(of: [a, b, c]) else { return nil }
        probe.position += 3
        guard probe.skip(0x20) else { return nil }
        _ = probe.skip(0x20)
        guard let day = probe.number(maxDigits: 2), probe.skip(0x20),
              let hour = probe.digits(2), probe.skip(0x3A), let minute = probe.digits(2), probe.skip(0x3A), let second = probe.digits(2)
        else { return nil }
        var fraction: Int64 = 0
        if probe.peek() == 0x2E, let next = probe.peek(1), next >= 0x30, next <= 0x39 {
            probe.position += 1
            var count = 0
            while let byte = probe.peek(), byte >= 0x30, byte <= 0x39 {
                if count < 9 { fraction = fraction * 10 + Int64(byte - 0x30) }
                count += 1
                probe.position += 1
            }
            if count < 9 { for _ in count..<9 { fraction *= 10 } }
        }
        // No year: the received year, or the one before if that would put
        // the message more than a day ahead (December messages read in January).
        let year = SyslogTime.year(of: receivedAt)
        guard var time = nanoseconds(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second,
                                     fraction: fraction, offsetSeconds: offsetSeconds) else { return nil }
        if time > receivedAt + 86_400_000_000_000,
           let previous = nanoseconds(year: year - 1, month: month + 1, day: day, hour: hour, minute: minute, second: second,
                                      fraction: fraction, offsetSeconds: offsetSeconds) {
            time = previous
        }
        cursor = probe
        return time
    }
}
