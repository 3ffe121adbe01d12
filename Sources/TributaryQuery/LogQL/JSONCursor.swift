/// A forward reader of JSON text over bytes, enough for LogQL's `json`
/// and `unpack` stages: walk an object's members, classify and skip values
/// (iteratively: nesting depth costs no stack), unescape strings.
/// It reads what it needs and does not validate the rest of the line.
struct JSONCursor {
    enum Kind { case string, number, object, array, boolean, null }

    /// A value's kind and where it is: for a string, the text between the quotes.
    struct Value {
        var kind: Kind
        var range: Range<Int>
        var hasEscapes: Bool
    }

    struct Failure: Error {
        var message: String
    }

    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func failure(_ what: String) -> Failure {
        Failure(message: "\(what) at offset \(index)")
    }

    /// Calls `body` with each member's key (unescaped) and value of the
    /// object starting here; `body` may read the value (nested objects) and
    /// must leave `index` after it, or leave it where it was to have it skipped.
    mutating func forEachMember(_ body: (inout JSONCursor, String, Value) throws(Failure) -> Void) throws(Failure) {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw failure("expected a JSON object") }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readString()
            guard let keyText = Self.unescape(bytes, key.range, hasEscapes: key.hasEscapes) else { throw failure("invalid escape in a key") }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipSpace()
            let value = try classify()
            let before = index
            try body(&self, keyText, value)
            if index == before { try skipValue(value) }
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
            index += 1
            return
        }
    }

    /// The value starting at `index` (not consumed, except that strings,
    /// numbers and literals are read to find their end).
    mutating func classify() throws(Failure) -> Value {
        guard index < bytes.count else { throw failure("expected a value") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let string = try readString()
            index = start
            return string
        case UInt8(ascii: "{"): return Value(kind: .object, range: start..<start, hasEscapes: false)
        case UInt8(ascii: "["): return Value(kind: .array, range: start..<start, hasEscapes: false)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            var end = index
            while end < bytes.count, bytes[end] >= 0x61, bytes[end] <= 0x7A { end += 1 }
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            guard word == "true" || word == "false" || word == "null" else { throw failure("unexpected value \"\(word)\"") }
            return Value(kind: word == "null" ? .null : .boolean, range: start..<end, hasEscapes: false)
        case UInt8(ascii: "-"), 0x30...0x39:
            var end = index + 1
            while end < bytes.count {
                switch bytes[end] {
                case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): end += 1
                default: return Value(kind: .number, range: start..<end, hasEscapes: false)
                }
            }
            return Value(kind: .number, range: start..<end, hasEscapes: false)
        default:
            throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    /// Reads a string at `index` (a quote); leaves `index` after it.
    mutating func readString() throws(Failure) -> Value {
        let start = index + 1
        var cursor = start
        var escapes = false
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\\") {
                escapes = true
                cursor += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return Value(kind: .string, range: start..<cursor, hasEscapes: escapes)
            }
            cursor += 1
        }
        throw failure("unterminated string")
    }

    /// Moves past `value` (which starts at `index`); objects and arrays are
    /// skipped by counting brackets outside strings.
    mutating func skipValue(_ value: Value) throws(Failure) {
        switch value.kind {
        case .string:
            _ = try readString()
        case .number, .boolean, .null:
            index = value.range.upperBound
        case .object, .array:
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    _ = try readString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                default:
                    break
                }
                index += 1
            }
            throw failure("unterminated \(value.kind == .object ? "object" : "array")")
        }
    }

    /// Moves to the value of the first member called `key` of the object
    /// starting here; false (position undefined) when there is none.
    mutating func seekMember(_ key: String) throws(Failure) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        while true {
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let name = try readString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipSpace()
            if Self.unescape(bytes, name.range, hasEscapes: name.hasEscapes) == key { return true }
            try skipValue(try classify())
        }
    }

    /// Moves to element `position` of the array starting here; false when
    /// it is not an array or is shorter.
    mutating func seekElement(_ position: Int) throws(Failure) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return false }
        index += 1
        var current = 0
        while true {
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated array") }
            if bytes[index] == UInt8(ascii: "]") { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if current == position { return true }
            try skipValue(try classify())
            current += 1
        }
    }

    /// The whole text of the value starting here (objects and arrays
    /// included), leaving `index` after it.
    mutating func rawValue(_ value: Value) throws(Failure) -> Range<Int> {
        let start = index
        try skipValue(value)
        return start..<index
    }

    /// The text of an escaped JSON string; nil when an escape is invalid.
    /// Invalid UTF-8 becomes U+FFFD, which Loki turns into a space.
    static func unescape(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasEscapes: Bool) -> String? {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        if !hasEscapes { return cleaned(String(decoding: slice, as: UTF8.self)) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < slice.count else { return nil }
            let escaped = slice[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(slice, index) else { return nil }
                index += 4
                if (0xD800...0xDBFF).contains(scalar), index + 6 <= slice.count, slice[index] == UInt8(ascii: "\\"),
                   slice[index + 1] == UInt8(ascii: "u"), let low = hex4(slice, index + 2), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(character).utf8))
            default:
                return nil
            }
        }
        return cleaned(String(decoding: out, as: UTF8.self))
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[start + offset]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Loki replaces U+FFFD (invalid UTF-8) by a space.
    static func cleaned(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{FFFD}") else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{FFFD}" ? " " : $0 }))
    }

    /// The raw text of `range` (numbers, literals, objects).
    static func text(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
