/// RFC 3164 ("BSD syslog") after `<PRI>`, and the variants devices and
/// libraries actually send:
///
/// - `Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG`, the RFC form;
/// - the same without HOSTNAME (`logger --rfc3164` in some versions,
///   local daemons);
/// - an RFC 3339 timestamp instead of the BSD one (rsyslog's
///   `RSYSLOG_ForwardFormat`, syslog-ng's `loggen`);
/// - no timestamp at all: `<14>myapp: hello` (Python's `SysLogHandler`);
/// - Cisco IOS: `<189>123: [host: ]*Mar  1 00:00:11.123: %FAC-5-MNEMONIC: text`,
///   with a sequence number, a `*`/`.` clock-status mark and a colon
///   after the time;
/// - free text with no TAG.
///
/// There is no delimiter between HOSTNAME, TAG and MSG, so a wrong guess
/// would silently move a word of the message into the hostname label. The
/// rule is conservative. A token is taken as HOSTNAME only when the next
/// token looks like a TAG (`name:` or `name[pid]:`). A first token that is
/// itself TAG-shaped is the TAG, and there is no hostname. Anything else is
/// message text.
enum SyslogRFC3164Parser {
    private static let colon: UInt8 = 0x3A
    private static let openBracket: UInt8 = 0x5B
    private static let closeBracket: UInt8 = 0x5D
    /// Longer "tags" are far more likely to be message words ending in ':'.
    private static let maxTagBytes = 128
    /// A pid, thread id or unit instance; anything longer is not a pid.
    private static let maxPidBytes = 32

    /// `name` and `pid` of a TAG, as byte ranges of the input.
    private typealias Tag = (name: Range<Int>, procID: Range<Int>?)

    /// Parses from the reader's position, just after `<PRI>`.
    ///
    /// Fields are tracked as byte ranges and turned into Strings once at the
    /// end. A rejected guess then costs nothing, and the message value is
    /// built once instead of being copied and mutated along the way.
    static func parse(_ reader: SyslogByteReader, facility: UInt8, severity: UInt8,
                      receivedAt: Int64, timeZoneOffsetSeconds: Int) -> SyslogMessage {
        var r = reader
        var timestamp: Int64?
        var hostname: Range<Int>?
        var tag: Tag?
        var messageStart = r.position

        if let (stamp, ciscoHost) = header(reader, receivedAt: receivedAt, offset: timeZoneOffsetSeconds) {
            timestamp = stamp.nanoseconds
            hostname = ciscoHost
            r.position = stamp.end
            if r.consume(colon) {
                // Cisco: "<time>: text". All of the text is the message; the
                // "%FAC-SEV-MNEMONIC:" in it is not a program name.
                _ = r.consume(SyslogByteReader.space)
                messageStart = r.position
            } else {
                r.skipSpaces()
                messageStart = r.position
                let first = r.readToken()
                if let found = Self.tag(r, first) {
                    tag = found
                    _ = r.consume(SyslogByteReader.space)
                    messageStart = r.position
                } else if hostname == nil, !first.isEmpty, r.skipSpaces() > 0 {
                    let second = r.readToken()
                    if let found = Self.tag(r, second) {
                        hostname = first
                        tag = found
                        _ = r.consume(SyslogByteReader.space)
                        messageStart = r.position
                    }
                }
            }
        } else {
            // No timestamp: only a TAG may follow the PRI (Python's handler).
            // A hostname guess without a timestamp to anchor it is too risky.
            let first = r.readToken()
            if let found = Self.tag(r, first) {
                tag = found
                _ = r.consume(SyslogByteReader.space)
                messageStart = r.position
            }
        }

        return SyslogMessage(
            format: .rfc3164,
            facility: facility,
            severity: severity,
            timestamp: timestamp,
            hostname: hostname.map { r.string($0) },
            appName: tag.map { r.string($0.name) },
            procID: tag?.procID.map { r.string($0) },
            messageRange: min(messageStart, r.end)..<r.end
        )
    }

    /// The timestamp, and the hostname a Cisco header puts before it.
    ///
    /// Cisco's sequence number (`123: `) and `host: ` prefix are skipped
    /// only when a timestamp follows them. Otherwise `<14>123: text` would
    /// lose its first word. The timestamp must end at a space, a colon or
    /// the end of input; otherwise it was the start of some other word.
    private static func header(_ reader: SyslogByteReader, receivedAt: Int64,
                               offset: Int) -> (SyslogTimestampParser.Match, Range<Int>?)? {
        if let stamp = timestamp(reader, receivedAt: receivedAt, offset: offset) { return (stamp, nil) }
        var r = reader
        guard r.readNumber(maxDigits: 10) != nil, r.consume(colon), r.skipSpaces() > 0 else { return nil }
        if let stamp = timestamp(r, receivedAt: receivedAt, offset: offset) { return (stamp, nil) }
        let host = r.readToken()
        guard host.count >= 2, r.byte(at: host.upperBound - 1) == colon, r.skipSpaces() > 0,
              let stamp = timestamp(r, receivedAt: receivedAt, offset: offset)
        else { return nil }
        return (stamp, host.lowerBound..<(host.upperBound - 1))
    }

    /// A BSD or RFC 3339 timestamp, optionally after Cisco's `*` (clock
    /// not set) or `.` (clock lost sync) mark.
    private static func timestamp(_ reader: SyslogByteReader, receivedAt: Int64,
                                  offset: Int) -> SyslogTimestampParser.Match? {
        var r = reader
        if let mark = r.peek(), mark == 0x2A || mark == 0x2E { r.position += 1 }
        guard let first = r.peek() else { return nil }
        let match = first &- 0x30 <= 9
            ? SyslogTimestampParser.rfc3339(r, defaultOffsetSeconds: offset)
            : SyslogTimestampParser.bsd(r, receivedAt: receivedAt, offsetSeconds: offset)
        guard let match else { return nil }
        let next = r.byte(at: match.end)
        guard next == nil || next == SyslogByteReader.space || next == colon else { return nil }
        return match
    }

    /// `name:` or `name[pid]:`. The name has no colon, brackets or control
    /// bytes, and the pid has no brackets. An empty pid (`name[]:`) is nil.
    private static func tag(_ r: SyslogByteReader, _ token: Range<Int>) -> Tag? {
        guard token.count >= 2, token.count <= maxTagBytes + maxPidBytes + 3,  // "[", "]", ":"
              r.byte(at: token.upperBound - 1) == colon
        else { return nil }
        var nameEnd = token.upperBound - 1
        var procID: Range<Int>?
        if r.byte(at: nameEnd - 1) == closeBracket {
            var open = nameEnd - 2
            while open > token.lowerBound, r.byte(at: open) != openBracket { open -= 1 }
            guard open > token.lowerBound, r.byte(at: open) == openBracket else { return nil }
            guard nameEnd - 1 - (open + 1) <= maxPidBytes else { return nil }
            procID = (open + 1)..<(nameEnd - 1)
            nameEnd = open
        }
        guard nameEnd - token.lowerBound <= maxTagBytes else { return nil }
        for index in token.lowerBound..<nameEnd {
            guard let byte = r.byte(at: index), byte > 0x20, byte != 0x7F,
                  byte != colon, byte != openBracket, byte != closeBracket
            else { return nil }
        }
        if let procID {
            for index in procID {
                guard let byte = r.byte(at: index), byte != openBracket, byte != closeBracket else { return nil }
            }
        }
        return (token.lowerBound..<nameEnd, procID.flatMap { $0.isEmpty ? nil : $0 })
    }
}
