/// A position in one line of an exposition, with the small readers the
/// parser needs; errors name the line and the column.
struct ExpositionCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: Int
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Up to 40 bytes from here, for error messages.
    var preview: String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, index + 40)]), as: UTF8.self)
    }

    func error(_ message: String) -> ExpositionError {
        ExpositionError(.syntax, line: line, message)
    }

    /// Skips spaces and tabs; returns how many.
    @discardableResult
    mutating func skipSpaces() -> Int {
        let start = index
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        return index - start
    }

    /// The bytes up to the next space, tab or end.
    mutating func token() -> UnsafeBufferPointer<UInt8> {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") { index += 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    mutating func word() -> String {
        String(decoding: token(), as: UTF8.self)
    }

    /// `[A-Za-z_:][A-Za-z0-9_:]*`, or "" when none starts here.
    mutating func metricName() -> String {
        name(allowColon: true)
    }

    /// The bytes of a metric name (see `metricName`), not yet a String.
    mutating func metricNameBytes() -> UnsafeBufferPointer<UInt8> {
        let start = index
        _ = nameEnd(allowColon: true)
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    private mutating func name(allowColon: Bool) -> String {
        let start = index
        nameEnd(allowColon: allowColon)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Moves past a name's bytes.
    @discardableResult
    private mutating func nameEnd(allowColon: Bool) -> Int {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || byte == UInt8(ascii: "_") || (allowColon && byte == UInt8(ascii: ":")) || (digit && index > start) else { break }
            index += 1
        }
        return index
    }

    /// `{name="value", …}` (a trailing comma allowed), from the `{`.
    mutating func labelSet(maxLabels: Int) throws(ExpositionError) -> [KeyValue] {
        index += 1
        var labels: [KeyValue] = []
        while true {
            skipSpaces()
            guard let next = peek else { throw error("the label set is not closed: expected \"}\"") }
            if next == UInt8(ascii: "}") {
                index += 1
                return labels
            }
            if next == UInt8(ascii: "\"") {
                throw error("a quoted (UTF-8) label name is not supported: use letters, digits and _")
            }
            let labelName = name(allowColon: false)
            guard !labelName.isEmpty else {
                throw error("expected a label name (letters, digits and _, not starting with a digit), found \"\(preview)\"")
            }
            skipSpaces()
            guard peek == UInt8(ascii: "=") else { throw error("expected \"=\" after the label name \(labelName), found \"\(preview)\"") }
            index += 1
            skipSpaces()
            guard peek == UInt8(ascii: "\"") else { throw error("expected a quoted value for the label \(labelName), found \"\(preview)\"") }
            let value = try quoted(label: labelName)
            if labels.contains(where: { $0.key == labelName }) { throw error("the label \(labelName) appears twice") }
            guard labels.count < maxLabels else {
                throw ExpositionError(.tooMany, line: line, "a sample with more than \(maxLabels) labels")
            }
            labels.append(KeyValue(labelName, value))
            skipSpaces()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): continue
            default: throw error("expected \",\" or \"}\" after the value of the label \(labelName), found \"\(preview)\"")
            }
        }
    }

    /// A double-quoted label value from the opening quote, unescaped.
    private mutating func quoted(label: String) throws(ExpositionError) -> String {
        index += 1
        let start = index
        var unescaped: [UInt8]?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let value = unescaped.map({ String(validating: $0, as: UTF8.self) }) ?? String(validating: raw, as: UTF8.self) else {
                    throw error("the value of the label \(label) is not valid UTF-8")
                }
                return value
            }
            if byte == UInt8(ascii: "\\") {
                if unescaped == nil { unescaped = Array(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                guard index + 1 < bytes.count else { break }
                switch bytes[index + 1] {
                case UInt8(ascii: "\\"): unescaped?.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): unescaped?.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): unescaped?.append(UInt8(ascii: "\n"))
                default:
                    let escape = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, index + 2)]), as: UTF8.self)
                    throw error("invalid escape \"\(escape)\" in the value of the label \(label): only \\\\, \\\" and \\n are allowed")
                }
                index += 2
                continue
            }
            unescaped?.append(byte)
            index += 1
        }
        throw error("the value of the label \(label) has no closing quote")
    }
}
