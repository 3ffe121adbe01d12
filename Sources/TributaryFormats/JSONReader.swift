/// The cursor behind `JSONLineParser` and `DockerLogLine`: a strict
/// RFC 8259 reader over bytes that reports the leaves of one top-level
/// object to a visitor instead of building a tree.
///
/// Bounds are checked by hand on every read (raw buffer subscripts are not
/// checked in release builds); recursion is limited by `maxDepth`.
struct JSONReader {
    /// What a reported leaf was in the source.
    enum Leaf: Sendable, Equatable {
        case string
        case number
        /// `true`, `false` or `null`.
        case literal
        /// An array, reported as its compact JSON text.
        case array
        /// `{}` below the top level, reported as the text `{}`.
        case emptyObject
    }

    /// Most containers (objects and arrays, the top-level object included)
    /// open at once.
    static let maxDepth = 32

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0
    /// Reused for strings with escapes and for compacted arrays.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads the whole input as exactly one object (whitespace around it
    /// allowed) and calls `visit(key, value, leaf)` for each leaf, nested
    /// keys joined with ".". Returns false for anything else; leaves seen
    /// before the error have been reported by then.
    mutating func document(_ visit: (String, String, Leaf) -> Void) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{"), object(prefix: nil, depth: 1, visit) else { return false }
        skipWhitespace()
        return position == bytes.count
    }

    // MARK: Structure

    private mutating func object(prefix: String?, depth: Int, _ visit: (String, String, Leaf) -> Void) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            if let prefix { visit(prefix, "{}", .emptyObject) }
            return true
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\""), let key = string() else { return false }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { return false }
            position += 1
            skipWhitespace()
            let name: String
            if let prefix {
                var joined = prefix
                joined.reserveCapacity(prefix.utf8.count + 1 + key.utf8.count)
                joined += "."
                joined += key
                name = joined
            } else {
                name = key
            }
            guard let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "{"):
                guard object(prefix: name, depth: depth + 1, visit) else { return false }
            case UInt8(ascii: "["):
                let start = position
                guard skipValue(depth: depth + 1) else { return false }
                visit(name, compact(start..<position), .array)
            case UInt8(ascii: "\""):
                guard let value = string() else { return false }
                visit(name, value, .string)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let start = position
                guard literal() else { return false }
                visit(name, text(start..<position), .literal)
            default:
                let start = position
                guard number() else { return false }
                visit(name, text(start..<position), .number)
            }
            skipWhitespace()
            guard let next = peek() else { return false }
            position += 1
            if next == UInt8(ascii: ",") { continue }
            return next == UInt8(ascii: "}")
        }
    }

    /// Validates any value without decoding it; `depth` is the depth the
    /// value would have if it is a container.
    private mutating func skipValue(depth: Int) -> Bool {
        guard let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth <= Self.maxDepth else { return false }
            let isObject = byte == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipWhitespace()
            if peek() == close {
                position += 1
                return true
            }
            while true {
                skipWhitespace()
                if isObject {
                    guard peek() == UInt8(ascii: "\""), skipString() else { return false }
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { return false }
                    position += 1
                    skipWhitespace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                guard let next = peek() else { return false }
                position += 1
                if next == UInt8(ascii: ",") { continue }
                return next == close
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return literal()
        default:
            return number()
        }
    }

    // MARK: Scalars

    private mutating func literal() -> Bool {
        for word: StaticString in ["true", "false", "null"] where matches(word) {
            position += word.utf8CodeUnitCount
            return true
        }
        return false
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let start = word.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] { return false }
        return true
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() -> Bool {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else { return false }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { return false }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return true
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = peek(), Self.isDigit(byte) { position += 1 }
        return position - start
    }

    /// The string at the cursor (on its opening quote), unescaped. Without
    /// escapes it is decoded straight from the input.
    private mutating func string() -> String? {
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let value = text(start..<position)
                position += 1
                return value
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            guard byte >= 0x20 else { return nil }
            position += 1
        }
        return nil
    }

    /// The rest of a string whose first escape is at the cursor.
    private mutating func escapedString(from start: Int) -> String? {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    appendUTF8(scalar)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                scratch.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` whose `XXXX` is at the cursor, joining a
    /// surrogate pair written as two escapes. A lone surrogate becomes
    /// U+FFFD rather than failing the line.
    private mutating func unicodeEscape() -> UInt32? {
        guard let unit = hex4() else { return nil }
        switch unit {
        case 0xD800...0xDBFF:
            let saved = position
            if bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                position += 2
                if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                    return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                // Not a low surrogate: the escape after it is read on its own.
                position = saved
            }
            return 0xFFFD
        case 0xDC00...0xDFFF:
            return 0xFFFD
        default:
            return unit
        }
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Skips a string (cursor on its opening quote), checking its escapes.
    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return false }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    guard hex4() != nil else { return false }
                default:
                    return false
                }
            default:
                guard byte >= 0x20 else { return false }
            }
        }
        return false
    }

    // MARK: Bytes

    @inline(__always)
    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Input bytes as text; invalid UTF-8 becomes U+FFFD rather than
    /// failing the line, since one stray byte should not cost every field.
    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Already validated JSON in `range` without insignificant whitespace;
    /// strings are kept as written (escapes included).
    private mutating func compact(_ range: Range<Int>) -> String {
        scratch.removeAll(keepingCapacity: true)
        var inString = false
        var escaped = false
        for index in range {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                scratch.append(byte)
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                scratch.append(byte)
            } else if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                scratch.append(byte)
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}
