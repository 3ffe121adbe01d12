/// Parses one syslog message: RFC 5424, RFC 3164 and the variants real
/// senders use (ISO timestamps in 3164 headers, no hostname, no timestamp
/// at all as Python's `SysLogHandler` sends, Cisco sequence numbers).
/// Works on bytes without Foundation; never traps.
public enum SyslogParser {
    public static func parse(_ bytes: UnsafeRawBufferPointer, receivedAt: Int64, rfc3164TimeZoneOffsetSeconds: Int = 0) -> SyslogMessage {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x00 { end -= 1 }
        var cursor = SyslogCursor(bytes, end: end)
        guard let priority = priority(&cursor) else {
            return SyslogMessage(format: .raw, messageRange: 0..<end)
        }
        let facility = UInt8(priority / 8)
        let severity = UInt8(priority % 8)
        if cursor.peek() == 0x31, cursor.peek(1) == 0x20 {
            var modern = cursor
            modern.position += 2
            if var message = rfc5424(&modern) {
                message.facility = facility
                message.severity = severity
                return message
            }
        }
        var message = rfc3164(&cursor, receivedAt: receivedAt, offset: rfc3164TimeZoneOffsetSeconds)
        message.facility = facility
        message.severity = severity
        return message
    }

    public static func parse(_ bytes: [UInt8], receivedAt: Int64, rfc3164TimeZoneOffsetSeconds: Int = 0) -> SyslogMessage {
        bytes.withUnsafeBytes { parse($0, receivedAt: receivedAt, rfc3164TimeZoneOffsetSeconds: rfc3164TimeZoneOffsetSeconds) }
    }

    /// `<N>` with N 0…191, no leading zeros.
    static func priority(_ cursor: inout SyslogCursor) -> Int? {
        var probe = cursor
        guard probe.skip(0x3C) else { return nil }
        let start = probe.position
        guard let value = probe.number(maxDigits: 3), probe.skip(0x3E), value <= 191 else { return nil }
        let digits = probe.position - 1 - start
        if digits > 1, cursor.bytes[start] == 0x30 { return nil }
        cursor = probe
        return value
    }

    // MARK: RFC 5424

    /// `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]` after `<PRI>1 `.
    static func rfc5424(_ cursor: inout SyslogCursor) -> SyslogMessage? {
        var timestamp: Int64?
        if cursor.peek() == 0x2D, cursor.peek(1) == 0x20 {
            cursor.position += 1
        } else {
            guard let time = SyslogTime.rfc3339(&cursor) else { return nil }
            timestamp = time
        }
        var fields: [String?] = []
        for limit in [255, 48, 128, 32] {
            guard cursor.skip(0x20) else { return nil }
            let range = cursor.token()
            guard !range.isEmpty, range.count <= limit else { return nil }
            fields.append(range.count == 1 && cursor.bytes[range.lowerBound] == 0x2D ? nil : cursor.string(range))
        }
        guard cursor.skip(0x20) else { return nil }
        var elements: [SyslogStructuredElement] = []
        if cursor.skip(0x2D) {
            // NILVALUE
        } else {
            guard cursor.peek() == 0x5B else { return nil }
            while cursor.peek() == 0x5B {
                guard let element = structuredElement(&cursor) else { return nil }
                elements.append(element)
            }
        }
        var start = cursor.end
        if cursor.skip(0x20) {
            start = cursor.position
            if cursor.peek() == 0xEF, cursor.peek(1) == 0xBB, cursor.peek(2) == 0xBF { start += 3 }
        } else if !cursor.atEnd {
            return nil
        }
        return SyslogMessage(format: .rfc5424, timestamp: timestamp, hostname: fields[0], appName: fields[1], procID: fields[2],
                             msgID: fields[3], structuredData: elements, messageRange: min(start, cursor.end)..<cursor.end)
    }

    /// `[id name="value" …]`.
    static func structuredElement(_ cursor: inout SyslogCursor) -> SyslogStructuredElement? {
        guard cursor.skip(0x5B) else { return nil }
        let idStart = cursor.position
        while let byte = cursor.peek(), byte != 0x20, byte != 0x5D, byte != 0x3D, byte != 0x22 { cursor.position += 1 }
        guard cursor.position > idStart, cursor.position - idStart <= 32 else { return nil }
        let id = cursor.string(idStart..<cursor.position)
        var parameters: [SyslogParameter] = []
        while true {
            if cursor.skip(0x5D) { return SyslogStructuredElement(id: id, parameters: parameters) }
            guard cursor.skip(0x20) else { return nil }
            let nameStart = cursor.position
            while let byte = cursor.peek(), byte != 0x3D, byte != 0x20, byte != 0x5D, byte != 0x22 { cursor.position += 1 }
            guard cursor.position > nameStart, cursor.position - nameStart <= 32 else { return nil }
            let name = cursor.string(nameStart..<cursor.position)
            guard cursor.skip(0x3D), cursor.skip(0x22) else { return nil }
            var value: [UInt8] = []
            while true {
                guard let byte = cursor.peek() else { return nil }
                cursor.position += 1
                if byte == 0x22 { break }
                if byte == 0x5C, let next = cursor.peek(), next == 0x22 || next == 0x5C || next == 0x5D {
                    value.append(next)
                    cursor.position += 1
                } else {
                    value.append(byte)
                }
            }
            parameters.append(SyslogParameter(name: name, value: String(decoding: value, as: UTF8.self)))
        }
    }

    // MARK: RFC 3164 and friends

    static func rfc3164(_ cursor: inout SyslogCursor, receivedAt: Int64, offset: Int) -> SyslogMessage {
        // Cisco: "123: " sequence number and optional "*" before the time.
        var probe = cursor
        if probe.number(maxDigits: 10) != nil, probe.skip(0x3A), probe.skip(0x20) {
            cursor = probe
        }
        _ = cursor.skip(0x2A)
        var timestamp: Int64?
        if let time = SyslogTime.bsd(&cursor, receivedAt: receivedAt, offsetSeconds: offset) ?? SyslogTime.rfc3339(&cursor) {
            timestamp = time
            // Cisco ends the time with ": ".
            if cursor.peek() == 0x3A, cursor.peek(1) == 0x20 { cursor.position += 1 }
            cursor.skipSpaces()
        }
        // HOSTNAME only when a tag follows it; a first token that is itself a
        // tag means the sender put no hostname.
        var hostname: String?
        if timestamp != nil {
            var look = cursor
            let first = look.token()
            if !first.isEmpty, !isTag(cursor.bytes, first), look.skip(0x20) {
                let second = look.token()
                if !second.isEmpty, isTag(cursor.bytes, second) {
                    hostname = cursor.string(first)
                    cursor.position = first.upperBound + 1
                }
            }
        }
        var appName: String?
        var procID: String?
        var look = cursor
        let token = look.token()
        if !token.isEmpty, isTag(cursor.bytes, token) {
            var tagEnd = token.upperBound - 1  // the ':'
            if tagEnd > token.lowerBound, cursor.bytes[tagEnd - 1] == 0x5D,
               let open = (token.lowerBound..<tagEnd).last(where: { cursor.bytes[$0] == 0x5B }) {
                procID = cursor.string((open + 1)..<(tagEnd - 1))
                tagEnd = open
            }
            if tagEnd > token.lowerBound {
                appName = cursor.string(token.lowerBound..<tagEnd)
            }
            cursor.position = token.upperBound
            _ = cursor.skip(0x20)
        }
        if timestamp == nil && appName == nil {
            // `<PRI>` and free text.
            return SyslogMessage(format: .rfc3164, messageRange: cursor.position..<cursor.end)
        }
        return SyslogMessage(format: .rfc3164, timestamp: timestamp, hostname: hostname, appName: appName, procID: procID,
                             messageRange: min(cursor.position, cursor.end)..<cursor.end)
    }

    /// `app:`, `app[123]:` — at most 48 bytes of printable ASCII ending in ':'.
    static func isTag(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 2, range.count <= 64, bytes[range.upperBound - 1] == 0x3A else { return false }
        for index in range.lowerBound..<(range.upperBound - 1) {
            let byte = bytes[index]
            guard byte > 0x20, byte < 0x7F, byte != 0x3A || index == range.upperBound - 1 else { return false }
        }
        return true
    }
}
