/// Parses one syslog message: RFC 5424, RFC 3164 and the RFC 3164
/// variants real senders produce (see `SyslogRFC3164Parser`).
///
/// It never fails and never traps. A syslog input is fed by any device on
/// the network, so the parser has to take binary garbage, truncated
/// datagrams, absurd numbers and invalid UTF-8. What it cannot read it
/// keeps as `.raw` text instead of dropping. Strings are built with
/// `String(decoding:as:)`, which repairs invalid UTF-8 rather than failing.
///
/// It works on raw bytes, without Foundation, Regex or intermediate
/// Strings. It scans each header byte once or twice and allocates only
/// the Strings and arrays the result holds. That matters because the
/// agent has to keep up with (and beat) rsyslog.
public enum SyslogParser {
    /// Parses one message.
    ///
    /// - Parameters:
    ///   - bytes: one message, as a datagram or as a frame from
    ///     `SyslogFramer`. Trailing CR, LF and NUL bytes are ignored.
    ///   - receivedAt: when the message arrived, in nanoseconds since the
    ///     epoch. RFC 3164 timestamps carry no year; the year used is that
    ///     of `receivedAt`, or the previous year if that would put the
    ///     message more than one day in the future. Just after New Year it
    ///     is the next year, if that puts the message at most a day in the
    ///     future: a "Jan  1 00:00:01" from a sender whose clock runs a few
    ///     seconds ahead is not a year old.
    ///   - rfc3164TimeZoneOffsetSeconds: RFC 3164 timestamps carry no zone;
    ///     this is the zone to assume, as seconds east of UTC (default UTC).
    ///     It also applies to zone-less RFC 3339 timestamps inside RFC 3164
    ///     headers.
    public static func parse(_ bytes: UnsafeRawBufferPointer, receivedAt: Int64,
                             rfc3164TimeZoneOffsetSeconds: Int = 0) -> SyslogMessage {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x00 {
            end -= 1
        }
        var reader = SyslogByteReader(bytes, end: end)
        guard let priority = priority(&reader) else {
            return SyslogMessage(format: .raw, messageRange: 0..<end)
        }
        let facility = UInt8(truncatingIfNeeded: priority >> 3)
        let severity = UInt8(truncatingIfNeeded: priority & 7)

        // VERSION "1" and a space: RFC 5424, or nothing readable.
        if reader.peek() == 0x31, reader.peek(1) == SyslogByteReader.space {
            reader.position += 2
            if let message = SyslogRFC5424Parser.parse(reader, facility: facility, severity: severity) {
                return message
            }
            return SyslogMessage(format: .raw, facility: facility, severity: severity, messageRange: 0..<end)
        }
        return SyslogRFC3164Parser.parse(reader, facility: facility, severity: severity, receivedAt: receivedAt,
                                         timeZoneOffsetSeconds: rfc3164TimeZoneOffsetSeconds)
    }

    /// Parses one message held in an array; see the pointer-based overload.
    public static func parse(_ bytes: [UInt8], receivedAt: Int64, rfc3164TimeZoneOffsetSeconds: Int = 0) -> SyslogMessage {
        bytes.withUnsafeBytes {
            parse($0, receivedAt: receivedAt, rfc3164TimeZoneOffsetSeconds: rfc3164TimeZoneOffsetSeconds)
        }
    }

    /// `<N>` with N in 0...191: one to three digits, no leading zero except
    /// `<0>` itself. Anything else means there is no PRI, so the whole input
    /// is raw. `<013>` or `<192>` is as likely to be message text as a
    /// sender's mistake. The reader moves past the PRI only on success.
    static func priority(_ reader: inout SyslogByteReader) -> Int? {
        var r = reader
        guard r.consume(0x3C), let first = r.peek() else { return nil }
        guard let number = r.readNumber(maxDigits: 3), r.consume(0x3E), number.value <= 191,
              number.digits == 1 || first != 0x30
        else { return nil }
        reader = r
        return number.value
    }
}
