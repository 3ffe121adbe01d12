/// RFC 6587 framing of a TCP syslog stream, chosen per connection from its
/// first byte: a digit 1–9 means octet counting (`<length> <message>`),
/// anything else non-transparent framing (a message ends at LF, a CR before
/// it is dropped, NUL also ends a message as Python's handler sends).
///
/// Memory is bounded: at most `maxMessageBytes` (plus a length header) is
/// buffered. A longer message is delivered in pieces of `maxMessageBytes`,
/// each but the last flagged `continued`, never dropped.
public struct SyslogFramer: Sendable {
    public enum Framing: Sendable, Equatable {
        case octetCounting
        case nonTransparent
    }

    public let maxMessageBytes: Int
    public private(set) var framing: Framing?
    private var buffer: [UInt8] = []
    private var start = 0
    /// Octet counting: bytes of the current message still to deliver.
    private var remaining = 0
    /// Octet counting: inside a message (its header was read).
    private var inMessage = false

    public init(maxMessageBytes: Int = 64 * 1024) {
        self.maxMessageBytes = max(1, maxMessageBytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if framing == nil {
            let first = bytes[0]
            framing = first >= 0x31 && first <= 0x39 ? .octetCounting : .nonTransparent
        }
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    private var available: Int { buffer.count - start }

    public mutating func next() throws(SyslogFramingError) -> SyslogFrame? {
        switch framing {
        case nil: return nil
        case .nonTransparent: return nextLine()
        case .octetCounting: return try nextCounted()
        }
    }

    private mutating func nextLine() -> SyslogFrame? {
        var index = start
        let limit = min(buffer.count, start + maxMessageBytes + 1)
        while index < limit {
            let byte = buffer[index]
            if byte == 0x0A || byte == 0x00 {
                var end = index
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let frame = SyslogFrame(bytes: Array(buffer[start..<end]), continued: false)
                start = index + 1
                return frame
            }
            index += 1
        }
        if available > maxMessageBytes {
            let frame = SyslogFrame(bytes: Array(buffer[start..<(start + maxMessageBytes)]), continued: true)
            start += maxMessageBytes
            return frame
        }
        return nil
    }

    private mutating func nextCounted() throws(SyslogFramingError) -> SyslogFrame? {
        if !inMessage {
            // Some senders put a newline after each counted message.
            while start < buffer.count, buffer[start] == 0x0A || buffer[start] == 0x0D { start += 1 }
            var index = start
            var length = 0
            while index < buffer.count, index - start < 10, buffer[index] >= 0x30, buffer[index] <= 0x39 {
                length = length * 10 + Int(buffer[index] - 0x30)
                index += 1
            }
            guard index < buffer.count else {
                if index - start >= 10 { throw .badLength(String(decoding: buffer[start..<index], as: UTF8.self)) }
                return nil
            }
            guard buffer[index] == 0x20, index > start, length > 0, buffer[start] != 0x30 else {
                throw .badLength(String(decoding: buffer[start...min(index, buffer.count - 1)].prefix(12), as: UTF8.self))
            }
            start = index + 1
            remaining = length
            inMessage = true
        }
        let piece = min(remaining, maxMessageBytes)
        guard available >= piece else { return nil }
        let frame = SyslogFrame(bytes: Array(buffer[start..<(start + piece)]), continued: remaining > piece)
        start += piece
        remaining -= piece
        if remaining == 0 { inMessage = false }
        return frame
    }

    /// At the end of the stream: an unterminated last line is still a
    /// message; an unfinished counted message is an error.
    public mutating func finish() throws(SyslogFramingError) -> SyslogFrame? {
        if let frame = try next() { return frame }
        switch framing {
        case .nonTransparent where available > 0:
            var end = buffer.count
            if buffer[end - 1] == 0x0D { end -= 1 }
            let frame = SyslogFrame(bytes: Array(buffer[start..<end]), continued: false)
            start = buffer.count
            return frame
        case .octetCounting where inMessage:
            throw .truncated(missing: remaining - available)
        case .octetCounting where available > 0:
            let leftover = buffer[start...].filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 }
            if !leftover.isEmpty { throw .badLength(String(decoding: leftover.prefix(12), as: UTF8.self)) }
            return nil
        default:
            return nil
        }
    }
}
