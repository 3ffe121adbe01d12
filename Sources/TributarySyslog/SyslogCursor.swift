/// A read position over a message's bytes, with the small scanning steps
/// the syslog formats need. Every step checks bounds; nothing traps on
/// malformed input.
struct SyslogCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, end: Int) {
        self.bytes = bytes
        self.position = 0
        self.end = end
    }

    var atEnd: Bool { position >= end }

    func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < end ? bytes[index] : nil
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while peek() == 0x20 { position += 1 }
    }

    /// Bytes up to the next space (or the end), consumed; the space is not.
    mutating func token() -> Range<Int> {
        let start = position
        while let byte = peek(), byte != 0x20 { position += 1 }
        return start..<position
    }

    /// A decimal number of 1…`maxDigits` digits.
    mutating func number(maxDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while digits < maxDigits, let byte = peek(), byte >= 0x30, byte <= 0x39 {
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            position += 1
        }
        return digits == 0 ? nil : value
    }

    /// Exactly `count` digits.
    mutating func digits(_ count: Int) -> Int? {
        let start = position
        guard let value = number(maxDigits: count), position - start == count else {
            position = start
            return nil
        }
        return value
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
