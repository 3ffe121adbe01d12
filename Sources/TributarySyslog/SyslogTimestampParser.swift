/// Reads the two timestamp layouts syslog uses, straight from bytes:
/// RFC 3339 (`2003-08-24T05:14:15.000003-07:00`) and BSD
/// (`Oct 11 22:14:15`, `Oct  5 ...`, Cisco's `Mar  1 00:00:11.123`).
///
/// Recognising the layout and computing the instant are separate steps on
/// purpose. A timestamp can be well-formed yet impossible, such as month 13,
/// Feb 30 or year 9999. It still has to be skipped as a timestamp so the
/// hostname and tag after it parse normally; only its value is nil. A
/// `Match` therefore always carries where the timestamp ended and an
/// optional value.
enum SyslogTimestampParser {
    struct Match {
        /// Nanoseconds since the epoch, nil when the fields are out of range.
        var nanoseconds: Int64?
        /// Index just past the timestamp.
        var end: Int
    }

    // MARK: RFC 3339

    /// RFC 3339 at the reader's position:
    /// `YYYY-MM-DD(T|t| )hh:mm:ss[(.|,)fraction][Z|z|±hh:mm|±hhmm]`.
    ///
    /// It is lenient where real senders differ, and the leniency is cheap
    /// and unambiguous. A fraction of any length is accepted and truncated
    /// to nanoseconds. The offset colon is optional. A missing zone, as
    /// syslog-ng's `loggen` and some devices send, uses
    /// `defaultOffsetSeconds`.
    static func rfc3339(_ reader: SyslogByteReader, defaultOffsetSeconds: Int) -> Match? {
        var r = reader
        guard let year = r.readDigits(exactly: 4), r.consume(0x2D),
              let month = r.readDigits(exactly: 2), r.consume(0x2D),
              let day = r.readDigits(exactly: 2)
        else { return nil }
        guard let separator = r.peek(), separator == 0x54 || separator == 0x74 || separator == 0x20 else { return nil }
        r.position += 1
        guard let hour = r.readDigits(exactly: 2), r.consume(0x3A),
              let minute = r.readDigits(exactly: 2), r.consume(0x3A),
              let second = r.readDigits(exactly: 2)
        else { return nil }
        let fraction = readFraction(&r, separators: (0x2E, 0x2C))

        // nil: an offset was sent but is out of range, so the value is unreadable.
        var offset: Int? = defaultOffsetSeconds
        switch r.peek() {
        case 0x5A, 0x7A:  // Z, z
            r.position += 1
            offset = 0
        case let sign? where sign == 0x2B || sign == 0x2D:  // + -
            var zone = r
            zone.position += 1
            guard let hours = zone.readDigits(exactly: 2) else { break }
            _ = zone.consume(0x3A)
            guard let minutes = zone.readDigits(exactly: 2) else { break }
            r = zone
            offset = hours <= 23 && minutes <= 59 ? (hours * 3600 + minutes * 60) * (sign == 0x2D ? -1 : 1) : nil
        default:
            break
        }
        guard let offset else { return Match(nanoseconds: nil, end: r.position) }
        let value = SyslogCalendar.nanoseconds(year: year, month: month, day: day, hour: hour, minute: minute,
                                               second: second, fraction: fraction, offsetSeconds: offset)
        return Match(nanoseconds: value, end: r.position)
    }

    // MARK: BSD (RFC 3164)

    /// BSD `Mmm dd hh:mm:ss` at the reader's position. The day may be
    /// space-padded (`Oct  5`), zero-padded or a single digit. An optional
    /// year before the time (`Mar  1 2026 00:00:11`, Cisco and ASA with
    /// `service timestamps ... year`) is used when present. An optional
    /// `.fraction` is read, and so is a ` UTC`/` GMT` suffix when a colon
    /// follows it, as Cisco's `show-timezone` sends.
    ///
    /// Without a year, the year comes from `receivedAt` in the assumed
    /// zone. A message cannot be stamped more than a day after it arrived,
    /// so a "Dec 31 23:59:58" that arrives on Jan 1 is from last year.
    static func bsd(_ reader: SyslogByteReader, receivedAt: Int64, offsetSeconds: Int) -> Match? {
        var r = reader
        guard let month = monthNumber(r.peek(), r.peek(1), r.peek(2)) else { return nil }
        r.position += 3
        guard r.consume(SyslogByteReader.space) else { return nil }
        _ = r.consume(SyslogByteReader.space)  // space-padded day
        guard let day = r.readNumber(maxDigits: 2), r.consume(SyslogByteReader.space) else { return nil }
        var year: Int?
        if r.hasDigits(4, then: SyslogByteReader.space) {
            year = r.readDigits(exactly: 4)
            r.position += 1
        }
        guard let hour = r.readDigits(exactly: 2), r.consume(0x3A),
              let minute = r.readDigits(exactly: 2), r.consume(0x3A),
              let second = r.readDigits(exactly: 2)
        else { return nil }
        let fraction = readFraction(&r, separators: (0x2E, 0x2E))
        var offset = offsetSeconds
        if r.peek() == SyslogByteReader.space, isUTCName(r.peek(1), r.peek(2), r.peek(3)), r.peek(4) == 0x3A {
            r.position += 4
            offset = 0
        }

        func instant(_ year: Int) -> Int64? {
            SyslogCalendar.nanoseconds(year: year, month: month, day: day.value, hour: hour, minute: minute,
                                       second: second, fraction: fraction, offsetSeconds: offset)
        }
        if let year {
            return Match(nanoseconds: instant(year), end: r.position)
        }
        // The year a clock in the sender's zone showed at arrival.
        let offsetNanoseconds = Int64(clamping: offset).multipliedReportingOverflow(by: SyslogCalendar.nanosecondsPerSecond)
        let localNow = receivedAt.addingReportingOverflow(offsetNanoseconds.partialValue)
        let thisYear = SyslogCalendar.year(
            ofNanoseconds: offsetNanoseconds.overflow || localNow.overflow ? receivedAt : localNow.partialValue)
        let aDay = Int64(SyslogCalendar.secondsPerDay) * SyslogCalendar.nanosecondsPerSecond
        let latest = receivedAt.addingReportingOverflow(aDay)
        func plausible(_ value: Int64?) -> Bool {
            guard let value else { return false }
            return latest.overflow || value <= latest.partialValue
        }
        // The latest year that does not put the message more than a day in
        // the future. This is normally this year. It is last year for a
        // "Dec 31" message read on Jan 1. It is next year for a "Jan  1
        // 00:00:02" message from a sender whose clock is a few seconds
        // ahead of ours at New Year; plain "this year" would date that one
        // almost a year in the past.
        let next = instant(thisYear + 1)
        if plausible(next) { return Match(nanoseconds: next, end: r.position) }
        let current = instant(thisYear)
        if plausible(current) { return Match(nanoseconds: current, end: r.position) }
        // In the future, or no such day this year (Feb 29): last year.
        return Match(nanoseconds: instant(thisYear - 1) ?? current, end: r.position)
    }

    // MARK: Pieces

    /// An optional fraction of a second after one of two separator bytes.
    /// Returns nanoseconds, truncating digits past the ninth. Consumes
    /// nothing unless the separator is followed by a digit.
    private static func readFraction(_ r: inout SyslogByteReader, separators: (UInt8, UInt8)) -> Int64 {
        guard let separator = r.peek(), separator == separators.0 || separator == separators.1,
              let first = r.peek(1), first &- 0x30 <= 9
        else { return 0 }
        r.position += 1
        var fraction: Int64 = 0
        var digits = 0
        while let byte = r.peek(), byte &- 0x30 <= 9 {
            if digits < 9 {
                fraction = fraction * 10 + Int64(byte &- 0x30)
                digits += 1
            }
            r.position += 1
        }
        while digits < 9 {
            fraction *= 10
            digits += 1
        }
        return fraction
    }

    /// 1...12 for an English month abbreviation in any letter case.
    ///
    /// It compares three bytes packed into one integer: no String, no table
    /// lookup. OR-ing 0x20 lowercases ASCII letters and cannot turn a
    /// non-letter into one of the letter triples below.
    private static func monthNumber(_ a: UInt8?, _ b: UInt8?, _ c: UInt8?) -> Int? {
        guard let a, let b, let c else { return nil }
        let key = UInt32(a | 0x20) << 16 | UInt32(b | 0x20) << 8 | UInt32(c | 0x20)
        switch key {
        case 0x6A616E: return 1   // jan
        case 0x666562: return 2   // feb
        case 0x6D6172: return 3   // mar
        case 0x617072: return 4   // apr
        case 0x6D6179: return 5   // may
        case 0x6A756E: return 6   // jun
        case 0x6A756C: return 7   // jul
        case 0x617567: return 8   // aug
        case 0x736570: return 9   // sep
        case 0x6F6374: return 10  // oct
        case 0x6E6F76: return 11  // nov
        case 0x646563: return 12  // dec
        default: return nil
        }
    }

    /// `UTC` or `GMT`.
    private static func isUTCName(_ a: UInt8?, _ b: UInt8?, _ c: UInt8?) -> Bool {
        (a == 0x55 && b == 0x54 && c == 0x43) || (a == 0x47 && b == 0x4D && c == 0x54)
    }
}
