/// A JSON object line flattened to key/value pairs: nested objects join
/// keys with "." (`{"a":{"b":1}}` → `a.b=1`), arrays keep their compact
/// JSON text, strings are unescaped, numbers stay as written, true, false
/// and null as text. Hand-written over bytes: nesting is capped at 32 and
/// malformed input gives nil, never a trap.
public enum JSONLineParser {
    static let maxDepth = 32

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [KeyValue]? {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpace()
        guard reader.peek() == 0x7B else { return nil }
        var pairs: [KeyValue] = []
        guard reader.object(prefix: "", depth: 0, into: &pairs) else { return nil }
        reader.skipSpace()
        return reader.atEnd ? pairs : nil
    }

    public static func parse(_ text: String) -> [KeyValue]? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}

/// The cursor behind `JSONLineParser`.
struct JSONReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    mutating func expect(_ byte: UInt8) -> Bool {
        skipSpace()
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// `{…}` at the cursor, pairs appended under `prefix`.
    mutating func object(prefix: String, depth: Int, into pairs: inout [KeyValue]) -> Bool {
        guard depth < JSONLineParser.maxDepth, expect(0x7B) else { return false }
        if expect(0x7D) {
            if !prefix.isEmpty { pairs.append(KeyValue(prefix, "{}")) }
            return true
        }
        while true {
            skipSpace()
            guard let key = string() else { return false }
            guard expect(0x3A) else { return false }
            skipSpace()
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch peek() {
            case 0x7B:
                guard object(prefix: name, depth: depth + 1, into: &pairs) else { return false }
            case 0x5B:
                let start = position
                guard skipValue(depth: depth + 1) else { return false }
                pairs.append(KeyValue(name, compact(start..<position)))
            case 0x22:
                guard let value = string() else { return false }
                pairs.append(KeyValue(name, value))
            default:
                let start = position
                guard scalar() else { return false }
                pairs.append(KeyValue(name, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)))
            }
            if expect(0x2C) { continue }
            return expect(0x7D)
        }
    }

    /// A number, true, false or null.
    mutating func scalar() -> Bool {
        for word in [Array("true".utf8), Array("false".utf8), Array("null".utf8)] where matches(word) {
            position += word.count
            return true
        }
        let start = position
        if peek() == 0x2D { position += 1 }
        var digits = 0
        while let byte = peek(), (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x65 || byte == 0x45 || byte == 0x2B || byte == 0x2D {
            position += 1
            digits += 1
        }
        return digits > 0 && position > start
    }

    func matches(_ word: [UInt8]) -> Bool {
        guard position + word.count <= bytes.count else { return false }
        for (offset, byte) in word.enumerated() where bytes[position + offset] != byte { return false }
        return true
    }

    /// Skips any value (for arrays kept as text).
    mutating func skipValue(depth: Int) -> Bool {
        guard depth <= JSONLineParser.maxDepth else { return false }
        skipSpace()
        switch peek() {
        case 0x22: return string() != nil
        case 0x7B, 0x5B:
            let close: UInt8 = peek() == 0x7B ? 0x7D : 0x5D
            let isObject = close == 0x7D
            position += 1
            if expect(close) { return true }
            while true {
                if isObject {
                    skipSpace()
                    guard string() != nil, expect(0x3A) else { return false }
                }
                guard skipValue(depth: depth + 1) else { return false }
                if expect(0x2C) { continue }
                return expect(close)
            }
        default:
            return scalar()
        }
    }

    /// The range's JSON without insignificant whitespace.
    func compact(_ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var inString = false
        var escaped = false
        for index in range {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
            } else if byte == 0x22 {
                inString = true
                out.append(byte)
            } else if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string at the cursor, unescaped.
    mutating func string() -> String? {
        guard peek() == 0x22 else { return nil }
        position += 1
        var out: [UInt8] = []
        while let byte = peek() {
            position += 1
            switch byte {
            case 0x22:
                return String(decoding: out, as: UTF8.self)
            case 0x5C:
                guard let escape = peek() else { return nil }
                position += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: out.append(escape)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar), peek() == 0x5C, position + 1 < bytes.count, bytes[position + 1] == 0x75 {
                        position += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(character).utf8))
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
