/// Reads `key=value key2="quoted value" flag` pairs from a line's bytes,
/// as Loki's logfmt decoder (go-logfmt): a bare key has no value; a
/// malformed pair (`=x`, `a"b`, an unterminated quote) is skipped and
/// remembered in `error` (`--strict` stops there and reports it).
struct LogfmtDecoder {
    let line: UnsafeRawBufferPointer
    private(set) var position = 0
    private(set) var key: Range<Int>? = nil
    /// The value's bytes (nil: no value), or the unquoted text when the
    /// quoted value had escapes.
    private(set) var value: Range<Int>? = nil
    private(set) var unquoted: [UInt8]? = nil
    private(set) var error: String? = nil

    init(_ line: UnsafeRawBufferPointer) {
        self.line = line
    }

    var atEnd: Bool { position >= line.count }

    /// Reads the next pair; false when it was malformed (or only spaces remained).
    mutating func scan() -> Bool {
        key = nil
        value = nil
        unquoted = nil
        while position < line.count, line[position] <= 0x20 { position += 1 }
        guard position < line.count else { return false }
        let start = position
        var multibyte = false
        while position < line.count {
            let byte = line[position]
            if byte == UInt8(ascii: "=") {
                if position > start {
                    key = start..<position
                    if multibyte, hasInvalidUTF8(start..<position) { return syntaxError("invalid key", skip: true) }
                }
                guard key != nil else { return syntaxError("unexpected '='", skip: true) }
                return readValue()
            }
            if byte == UInt8(ascii: "\"") { return syntaxError("unexpected '\"'", skip: true) }
            if byte <= 0x20 {
                key = start..<position
                if multibyte, hasInvalidUTF8(start..<position) { return syntaxError("invalid key", skip: false) }
                return true
            }
            if byte >= 0x80 { multibyte = true }
            position += 1
        }
        key = start..<position
        if multibyte, hasInvalidUTF8(start..<position) { return syntaxError("invalid key", skip: false) }
        return true
    }

    private mutating func readValue() -> Bool {
        position += 1
        guard position < line.count else { return true }
        let first = line[position]
        if first <= 0x20 { return true }
        if first == UInt8(ascii: "\"") { return readQuoted() }
        let start = position
        while position < line.count {
            let byte = line[position]
            if byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") {
                return syntaxError("unexpected '\(Character(Unicode.Scalar(byte)))'", skip: true)
            }
            if byte <= 0x20 { break }
            position += 1
        }
        if position > start { value = start..<position }
        return true
    }

    private mutating func readQuoted() -> Bool {
        let start = position
        var escaped = false, hasEscapes = false
        var cursor = position + 1
        while cursor < line.count {
            let byte = line[cursor]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                hasEscapes = true
            } else if byte == UInt8(ascii: "\"") {
                position = cursor + 1
                if hasEscapes {
                    guard let text = JSONCursor.unescape(line, (start + 1)..<cursor, hasEscapes: true) else {
                        return syntaxError("invalid quoted value", skip: false)
                    }
                    unquoted = Array(text.utf8)
                    value = 0..<0
                } else if cursor > start + 1 {
                    value = (start + 1)..<cursor
                }
                return true
            }
            cursor += 1
        }
        position = line.count
        return syntaxError("unterminated quoted value", skip: false)
    }

    private mutating func syntaxError(_ message: String, skip: Bool) -> Bool {
        error = "logfmt syntax error at pos \(position + 1) : \(message)"
        if skip {
            while position < line.count, line[position] > 0x20 { position += 1 }
        }
        return false
    }

    private func hasInvalidUTF8(_ range: Range<Int>) -> Bool {
        String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self).unicodeScalars.contains("\u{FFFD}")
    }

    /// The current value as text ("" when there is none).
    func valueText() -> String {
        if let unquoted { return JSONCursor.cleaned(String(decoding: unquoted, as: UTF8.self)) }
        guard let value else { return "" }
        return JSONCursor.cleaned(JSONCursor.text(line, value))
    }

    var hasValue: Bool { unquoted.map { !$0.isEmpty } ?? (value.map { !$0.isEmpty } ?? false) }
}
