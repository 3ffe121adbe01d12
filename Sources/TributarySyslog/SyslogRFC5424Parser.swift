/// The RFC 5424 header after `<PRI>1 `:
/// `TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]`.
///
/// The header is positional, so a malformed one cannot be half-trusted.
/// `parse` returns nil and the caller keeps the whole input as `.raw`,
/// rather than guessing which token was meant to be which field. Malformed
/// means a missing field or structured data that is neither `-` nor
/// well-formed `[...]` elements.
///
/// A few deviations are tolerated, because well-known senders produce
/// them and they cannot be misread:
/// - several spaces between header fields;
/// - a well-formed timestamp with impossible values (it gives a nil
///   `timestamp`, the other fields still parse);
/// - a zone-less timestamp (taken as UTC);
/// - a `]` unescaped inside a quoted SD value (the quotes delimit it anyway);
/// - spaces before an element's closing `]`;
/// - MSG that follows the last `]` without the separating space.
enum SyslogRFC5424Parser {
    private static let hyphen: UInt8 = 0x2D
    private static let openBracket: UInt8 = 0x5B
    private static let closeBracket: UInt8 = 0x5D
    private static let equals: UInt8 = 0x3D
    private static let quote: UInt8 = 0x22
    private static let backslash: UInt8 = 0x5C

    /// Parses the header from the reader's position, just after `<PRI>1 `.
    static func parse(_ reader: SyslogByteReader, facility: UInt8, severity: UInt8) -> SyslogMessage? {
        var r = reader

        guard let first = r.peek() else { return nil }
        var timestamp: Int64?
        if first == hyphen, r.peek(1) == SyslogByteReader.space {
            r.position += 1
        } else {
            // Anything but a date-looking token means this is not 5424.
            guard first &- 0x30 <= 9 else { return nil }
            if let match = SyslogTimestampParser.rfc3339(r, defaultOffsetSeconds: 0),
               r.byte(at: match.end) == SyslogByteReader.space {
                timestamp = match.nanoseconds
                r.position = match.end
            } else {
                _ = r.readToken()  // unreadable: skip it, timestamp stays nil
            }
        }

        guard r.skipSpaces() > 0 else { return nil }
        let hostname = r.readToken()
        guard r.skipSpaces() > 0 else { return nil }
        let appName = r.readToken()
        guard r.skipSpaces() > 0 else { return nil }
        let procID = r.readToken()
        guard r.skipSpaces() > 0 else { return nil }
        let msgID = r.readToken()
        guard r.skipSpaces() > 0, !r.isAtEnd else { return nil }

        var elements: [SyslogStructuredElement] = []
        if r.peek() == hyphen {
            r.position += 1
            guard r.isAtEnd || r.peek() == SyslogByteReader.space else { return nil }
        } else {
            guard r.peek() == openBracket else { return nil }
            elements.reserveCapacity(2)
            while r.peek() == openBracket {
                guard let element = element(&r) else { return nil }
                elements.append(element)
            }
        }

        // MSG: after one separating space, without a UTF-8 BOM.
        _ = r.consume(SyslogByteReader.space)
        if r.peek() == 0xEF, r.peek(1) == 0xBB, r.peek(2) == 0xBF { r.position += 3 }
        let messageStart = min(r.position, r.end)

        return SyslogMessage(
            format: .rfc5424,
            facility: facility,
            severity: severity,
            timestamp: timestamp,
            hostname: r.field(hostname),
            appName: r.field(appName),
            procID: r.field(procID),
            msgID: r.field(msgID),
            structuredData: elements,
            messageRange: messageStart..<r.end
        )
    }

    /// One `[SD-ID *(SP PARAM-NAME="PARAM-VALUE")]`, reader on the `[`.
    private static func element(_ r: inout SyslogByteReader) -> SyslogStructuredElement? {
        guard r.consume(openBracket) else { return nil }
        let id = sdName(&r)
        guard !id.isEmpty else { return nil }
        var parameters: [SyslogParameter] = []
        // Most elements have a handful of parameters; one allocation, not three.
        parameters.reserveCapacity(4)
        while true {
            if r.consume(closeBracket) { break }
            guard r.skipSpaces() > 0 else { return nil }
            if r.consume(closeBracket) { break }
            let name = sdName(&r)
            guard !name.isEmpty, r.consume(equals), r.consume(quote), let value = quotedValue(&r) else { return nil }
            parameters.append(SyslogParameter(name: r.string(name), value: value))
        }
        return SyslogStructuredElement(id: r.string(id), parameters: parameters)
    }

    /// An SD-NAME: printable bytes other than `=`, space, `]` and `"`.
    private static func sdName(_ r: inout SyslogByteReader) -> Range<Int> {
        let start = r.position
        while let byte = r.peek(), byte > 0x20, byte != 0x7F, byte != equals, byte != closeBracket, byte != quote {
            r.position += 1
        }
        return start..<r.position
    }

    /// A PARAM-VALUE after its opening quote, up to and including the
    /// closing one, unescaped. Nil if the closing quote never comes.
    ///
    /// Most values contain no backslash. They become a String straight
    /// from the input bytes; only a value with an escape is copied into a
    /// scratch buffer.
    private static func quotedValue(_ r: inout SyslogByteReader) -> String? {
        let start = r.position
        var escaped = false
        while let byte = r.peek() {
            if byte == quote {
                let range = start..<r.position
                r.position += 1
                return escaped ? unescape(r, range) : r.string(range)
            }
            if byte == backslash {
                escaped = true
                r.position += 1  // whatever follows is part of the value, even a quote
            }
            r.position += 1
        }
        return nil
    }

    /// Removes the backslash from `\"`, `\\` and `\]`; any other backslash stays.
    private static func unescape(_ r: SyslogByteReader, _ range: Range<Int>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = r.bytes[index]
            if byte == backslash, index + 1 < range.upperBound {
                let next = r.bytes[index + 1]
                if next == quote || next == backslash || next == closeBracket {
                    output.append(next)
                    index += 2
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
