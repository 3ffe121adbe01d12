/// A bounds-checked read position over the bytes of one message.
///
/// Every syslog grammar here reads left to right in small steps: a fixed
/// byte, a run of digits, a space-delimited token. Each step is a method
/// that checks against `end`, so no input can index out of bounds, whether
/// truncated, binary or absurdly long. The reader is a small value, so a
/// speculative parse (is this a timestamp? a tag?) works on a copy, and
/// backing out just means dropping the copy.
///
/// It reads from an `UnsafeRawBufferPointer` to keep the hot path free of
/// Array bounds checks and retain/release traffic. That is only sound
/// because every access goes through `byte(at:)` and the range checks below.
struct SyslogByteReader {
    static let space: UInt8 = 0x20

    let bytes: UnsafeRawBufferPointer
    /// One past the last byte that belongs to the message. Trailing
    /// CR/LF/NUL are already excluded; see `SyslogParser`.
    let end: Int
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, end: Int, position: Int = 0) {
        self.bytes = bytes
        self.end = max(0, min(end, bytes.count))
        self.position = max(0, position)
    }

    var isAtEnd: Bool { position >= end }

    /// The byte at an absolute index, or nil outside `0..<end`.
    @inline(__always)
    func byte(at index: Int) -> UInt8? {
        index >= 0 && index < end ? bytes[index] : nil
    }

    /// The byte `ahead` places after the read position, or nil past the end.
    @inline(__always)
    func peek(_ ahead: Int = 0) -> UInt8? {
        byte(at: position &+ ahead)
    }

    /// Consumes `expected` if it is the next byte.
    @inline(__always)
    mutating func consume(_ expected: UInt8) -> Bool {
        guard peek() == expected else { return false }
        position += 1
        return true
    }

    /// Consumes a run of spaces and returns how many there were.
    @discardableResult
    mutating func skipSpaces() -> Int {
        let start = position
        while peek() == Self.space { position += 1 }
        return position - start
    }

    /// Consumes bytes up to (not including) the next space or the end.
    mutating func readToken() -> Range<Int> {
        let start = position
        while let byte = peek(), byte != Self.space { position += 1 }
        return start..<position
    }

    /// Exactly `count` ASCII digits as a number. Nothing is consumed on failure.
    mutating func readDigits(exactly count: Int) -> Int? {
        guard position + count <= end else { return nil }
        var value = 0
        for index in position..<(position + count) {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { return nil }
            value = value * 10 + Int(digit)
        }
        position += count
        return value
    }

    /// One to `maxDigits` ASCII digits (greedy) as a number, with the digit count.
    mutating func readNumber(maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0
        var digits = 0
        while digits < maxDigits, let byte = peek(), byte &- 0x30 <= 9 {
            value = value * 10 + Int(byte &- 0x30)
            digits += 1
            position += 1
        }
        return digits == 0 ? nil : (value, digits)
    }

    /// Whether the bytes at the read position are exactly `digits` ASCII digits
    /// followed by `terminator`. Only looks; consumes nothing.
    func hasDigits(_ digits: Int, then terminator: UInt8) -> Bool {
        for offset in 0..<digits {
            guard let byte = peek(offset), byte &- 0x30 <= 9 else { return false }
        }
        return peek(digits) == terminator
    }

    /// The bytes of `range`, decoded as UTF-8 with invalid sequences repaired
    /// (U+FFFD). A range outside the message gives "".
    func string(_ range: Range<Int>) -> String {
        guard range.lowerBound >= 0, range.upperBound <= end, !range.isEmpty else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// An RFC 5424 header field: nil for an empty range or the NILVALUE `-`.
    func field(_ range: Range<Int>) -> String? {
        if range.isEmpty || (range.count == 1 && byte(at: range.lowerBound) == 0x2D) { return nil }
        return string(range)
    }
}
