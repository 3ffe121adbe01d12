/// RFC 6587 framing of a TCP (or TLS) syslog stream.
///
/// The framing is detected per connection from its first byte. A digit
/// 1-9 means octet counting (`<len> <msg>`, RFC 6587 section 3.4.1, what
/// RFC 5425 TLS senders and `loggen --syslog-proto` use). Anything else
/// means non-transparent framing (section 3.4.2): a message ends at LF, a
/// CR just before the LF is removed, and NUL also ends a message, as some
/// senders (Python's `SysLogHandler`) terminate with it. Senders do not
/// announce which framing they use, and a valid octet-counted stream cannot
/// start with anything but 1-9, so the first byte is the only reliable
/// signal.
///
/// Memory is bounded whatever the peer sends. Once `next()` has returned
/// nil, the framer holds at most `maxMessageBytes` + 10 bytes: part of a
/// message (plus at most one CR), or up to 10 digits of a length header.
/// A message longer than `maxMessageBytes` is delivered in pieces of at
/// most `maxMessageBytes`, each but the last flagged `continued: true`;
/// it is never dropped silently. A line of up to `maxMessageBytes` is
/// always delivered whole.
///
/// Use: `append` each read, then call `next()` until it returns nil; at end
/// of stream call `finish()` until it returns nil. A bad octet count
/// throws `SyslogFramingError`. The error is sticky: the stream cannot be
/// resynchronised, so every later call throws it again and appended bytes
/// are ignored.
///
/// Tolerated deviations: CR and LF between octet-counted frames (some
/// senders end every frame with a newline) are skipped, and empty lines in
/// non-transparent streams (`\r\n\r\n`, `msg\0\n`) produce no frames.
public struct SyslogFramer: Sendable {
    public enum Framing: Sendable, Equatable {
        /// `<len> <msg>`: RFC 6587 section 3.4.1.
        case octetCounting
        /// Messages end at LF or NUL: RFC 6587 section 3.4.2.
        case nonTransparent
    }

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let nul: UInt8 = 0x00
    private static let space: UInt8 = 0x20
    /// RFC 6587 allows any length; 10 digits (under 10 GB) is already absurd.
    private static let maxLengthDigits = 10

    /// The largest frame `next()` and `finish()` return.
    public let maxMessageBytes: Int
    /// Nil until the first byte arrives.
    public private(set) var framing: Framing?

    /// Unconsumed input is `buffer[head...]`. Consumed bytes are removed
    /// lazily on the next `append`, so draining many frames from one read
    /// costs one move, not one per frame.
    private var buffer: [UInt8] = []
    private var head = 0
    /// Non-transparent: `buffer[head ..< head + scanned]` is known to hold
    /// no terminator, so byte-at-a-time input is not rescanned quadratically.
    private var scanned = 0
    /// A piece of the current message went out with `continued: true`, so
    /// its end must be delivered even if that last piece is empty.
    private var splitting = false
    /// Octet counting: bytes of the current message still to deliver;
    /// 0 while a length header is expected.
    private var remaining = 0
    private var failure: SyslogFramingError?

    /// - Parameter maxMessageBytes: the largest frame to deliver (at least
    ///   1); longer messages come in pieces.
    public init(maxMessageBytes: Int = 64 * 1024) {
        self.maxMessageBytes = max(1, maxMessageBytes)
    }

    /// Bytes received but not yet returned in a frame. It is at most
    /// `maxMessageBytes` + 10 once `next()` has returned nil.
    public var bufferedByteCount: Int { buffer.count - head }

    /// Adds bytes from the stream. The first byte fixes the framing.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let first = bytes.first else { return }
        if framing == nil {
            framing = first >= 0x31 && first <= 0x39 ? .octetCounting : .nonTransparent
        }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes from the stream; see the pointer-based overload.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete message (or piece), or nil if more bytes are needed.
    public mutating func next() throws(SyslogFramingError) -> SyslogFrame? {
        if let failure { throw failure }
        switch framing {
        case nil: return nil
        case .nonTransparent: return nextLine()
        case .octetCounting: return try nextCounted()
        }
    }

    /// At end of stream: whatever remains, as a final frame. In
    /// non-transparent framing an unterminated last line is still a
    /// message. An octet-counted frame with bytes missing throws
    /// `.truncated`. Call repeatedly until it returns nil; after a drained
    /// `next()` there is at most one frame left.
    public mutating func finish() throws(SyslogFramingError) -> SyslogFrame? {
        if let frame = try next() { return frame }
        switch framing {
        case nil:
            return nil
        case .nonTransparent:
            guard bufferedByteCount > 0 || splitting else { return nil }
            var end = buffer.count
            if end > head, buffer[end - 1] == Self.carriageReturn { end -= 1 }
            return takeLine(upTo: end, consumingThrough: buffer.count)
        case .octetCounting:
            if remaining > 0 {
                throw fail(.truncated(missing: remaining - bufferedByteCount))
            }
            // next() has skipped any CR/LF and would have thrown on a bad
            // header, so what is left is the start of a valid length.
            guard bufferedByteCount > 0 else { return nil }
            var length = 0
            for byte in buffer[head...] { length = length * 10 + Int(byte &- 0x30) }
            // The frame needed the rest of its length, the space and at least
            // `length` bytes; more digits would only have made it longer.
            throw fail(.truncated(missing: length + 1))
        }
    }

    // MARK: Non-transparent

    /// The next line, or the next `maxMessageBytes` piece of a longer one.
    ///
    /// The search looks two bytes past the limit, so a line of exactly
    /// `maxMessageBytes` followed by CRLF is still delivered whole. A line
    /// is cut into pieces only when it really is longer than the limit.
    private mutating func nextLine() -> SyslogFrame? {
        while true {
            let available = bufferedByteCount
            let searchEnd = head + min(available, maxMessageBytes + 2)
            let terminator = buffer.withUnsafeBytes { [searchStart = head + scanned] bytes in
                Self.firstTerminator(in: bytes, from: searchStart, to: searchEnd)
            }
            if let terminator {
                var end = terminator
                if end > head, buffer[end - 1] == Self.carriageReturn { end -= 1 }
                if end - head <= maxMessageBytes {
                    if let frame = takeLine(upTo: end, consumingThrough: terminator + 1) { return frame }
                    continue  // an empty line
                }
            } else {
                scanned = searchEnd - head
                // Wait while the line may still turn out to fit: up to the
                // limit, or one byte over if that byte is the CR of a CRLF.
                if available <= maxMessageBytes { return nil }
                if available == maxMessageBytes + 1, buffer[head + maxMessageBytes] == Self.carriageReturn { return nil }
            }
            let piece = Array(buffer[head..<(head + maxMessageBytes)])
            head += maxMessageBytes
            scanned = 0
            splitting = true
            return SyslogFrame(bytes: piece, continued: true)
        }
    }

    /// The index of the first LF or NUL in `bytes[start..<end]`.
    ///
    /// It tests eight bytes per step (SWAR) rather than one. For a word `w`,
    /// `(w - 0x01…01) & ~w & 0x80…80` is non-zero exactly when some byte of
    /// `w` is zero. `w ^ 0x0A…0A` turns LF bytes into zero bytes. A word that
    /// hits is rescanned bytewise to find the exact index. Lines are a few
    /// hundred bytes, so this is most of the framer's work.
    static func firstTerminator(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard let base = bytes.baseAddress, start < end, end <= bytes.count else { return nil }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var index = start
        while index + 8 <= end {
            let word = (base + index).loadUnaligned(as: UInt64.self)
            let asLineFeeds = word ^ lineFeeds
            let hits = ((word &- ones) & ~word | (asLineFeeds &- ones) & ~asLineFeeds) & highs
            if hits != 0 { break }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == lineFeed || byte == nul { return index }
            index += 1
        }
        return nil
    }

    /// The line `buffer[head..<end]`, consuming up to `consumed`. Nil for an
    /// empty line, unless it closes a split message.
    private mutating func takeLine(upTo end: Int, consumingThrough consumed: Int) -> SyslogFrame? {
        let bytes = Array(buffer[head..<end])
        let closesSplit = splitting
        head = consumed
        scanned = 0
        splitting = false
        guard !bytes.isEmpty || closesSplit else { return nil }
        return SyslogFrame(bytes: bytes, continued: false)
    }

    // MARK: Octet counting

    private mutating func nextCounted() throws(SyslogFramingError) -> SyslogFrame? {
        if remaining == 0 {
            while head < buffer.count, buffer[head] == Self.lineFeed || buffer[head] == Self.carriageReturn {
                head += 1
            }
            guard head < buffer.count else { return nil }
            var index = head
            var length = 0
            while index < buffer.count, buffer[index] &- 0x30 <= 9 {
                guard index - head < Self.maxLengthDigits else { throw fail(badLength(at: head)) }
                length = length * 10 + Int(buffer[index] &- 0x30)
                index += 1
            }
            // Reject as soon as the header cannot become valid: waiting would
            // only buffer bytes from a stream that is already lost.
            guard index > head, buffer[head] != 0x30 else { throw fail(badLength(at: head)) }
            guard index < buffer.count else { return nil }
            guard buffer[index] == Self.space else { throw fail(badLength(at: head)) }
            head = index + 1
            remaining = length
        }
        let piece = min(remaining, maxMessageBytes)
        guard bufferedByteCount >= piece else { return nil }
        let bytes = Array(buffer[head..<(head + piece)])
        head += piece
        remaining -= piece
        return SyslogFrame(bytes: bytes, continued: remaining > 0)
    }

    private func badLength(at start: Int) -> SyslogFramingError {
        let end = min(buffer.count, start + 16)
        return .badLength(String(decoding: buffer[start..<end], as: UTF8.self))
    }

    private mutating func fail(_ error: SyslogFramingError) -> SyslogFramingError {
        failure = error
        buffer = []
        head = 0
        return error
    }

    // MARK: Buffer

    /// Drops consumed bytes before more are appended. An allocation much
    /// larger than the limit (after one huge read) is released rather than
    /// kept for the connection's lifetime.
    private mutating func compact() {
        guard head > 0 else { return }
        if head >= buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4 * maxMessageBytes + 4096)
        } else {
            buffer.removeSubrange(0..<head)
        }
        head = 0
    }
}
