/// Parses StatsD packets: lines separated by `\n` (or `\r\n`), each
/// `name:value|type[|@rate][|#tag:value,tag2,…]`.
///
/// - Types: `c`, `g` (a leading `+`/`-` makes a delta), `ms`, `h`, `d`
///   (all timers) and `s`.
/// - `@rate` must be in (0, 1]. DogStatsD's `|c:container`, `|e:data` and
///   `|T<unix time>` sections are accepted and ignored.
/// - Blank lines and DogStatsD events (`_e{…`) and service checks (`_sc|…`)
///   are skipped without counting as malformed: they are valid traffic this
///   parser does not turn into metrics.
/// - Anything else that does not fit (no `:` before the first `|`, empty
///   name, a value that is not a finite decimal number, an unknown type or
///   section) counts as malformed.
///
/// Works on bytes; never throws and never traps.
public enum StatsDParser {
    public static func parse(_ packet: UnsafeRawBufferPointer) -> (metrics: [StatsDMetric], malformed: Int) {
        var metrics: [StatsDMetric] = []
        var malformed = 0
        var lineStart = 0
        while lineStart <= packet.count {
            var lineEnd = lineStart
            while lineEnd < packet.count, packet[lineEnd] != 0x0A { lineEnd += 1 }
            switch line(packet, lineStart..<lineEnd) {
            case .metric(let metric): metrics.append(metric)
            case .malformed: malformed += 1
            case .skipped: break
            }
            lineStart = lineEnd + 1
        }
        return (metrics, malformed)
    }

    public static func parse(_ text: String) -> (metrics: [StatsDMetric], malformed: Int) {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    enum LineResult {
        case metric(StatsDMetric)
        case skipped
        case malformed
    }

    static func line(_ bytes: UnsafeRawBufferPointer, _ whole: Range<Int>) -> LineResult {
        let line = trimmed(bytes, whole)
        guard !line.isEmpty else { return .skipped }
        if hasPrefix(bytes, line, "_e{") || hasPrefix(bytes, line, "_sc|") { return .skipped }
        guard let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, line),
              let pipe = firstIndex(of: UInt8(ascii: "|"), in: bytes, line), colon < pipe else { return .malformed }
        let name = trimmed(bytes, line.lowerBound..<colon)
        let value = trimmed(bytes, (colon + 1)..<pipe)
        guard !name.isEmpty, !value.isEmpty else { return .malformed }
        let typeEnd = firstIndex(of: UInt8(ascii: "|"), in: bytes, (pipe + 1)..<line.upperBound) ?? line.upperBound
        let type = trimmed(bytes, (pipe + 1)..<typeEnd)

        var rate = 1.0
        var tags: [KeyValue] = []
        var cursor = typeEnd
        while cursor < line.upperBound {
            let start = cursor + 1
            let end = firstIndex(of: UInt8(ascii: "|"), in: bytes, start..<line.upperBound) ?? line.upperBound
            cursor = end
            guard start < end else { continue }
            let first = bytes[start]
            if first == UInt8(ascii: "@") {
                guard let parsed = number(bytes, (start + 1)..<end), parsed > 0, parsed <= 1 else { return .malformed }
                rate = parsed
            } else if first == UInt8(ascii: "#") {
                appendTags(bytes, (start + 1)..<end, to: &tags)
            } else if (first == UInt8(ascii: "c") || first == UInt8(ascii: "e")), end - start >= 2, bytes[start + 1] == UInt8(ascii: ":") {
                continue
            } else if first == UInt8(ascii: "T"), end - start >= 2,
                      ((start + 1)..<end).allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }) {
                continue
            } else {
                return .malformed
            }
        }

        let nameText = text(bytes, name)
        let kind: StatsDMetric.Kind
        switch (type.count, type.count > 0 ? bytes[type.lowerBound] : 0, type.count > 1 ? bytes[type.lowerBound + 1] : 0) {
        case (1, UInt8(ascii: "c"), _): kind = .counter
        case (1, UInt8(ascii: "g"), _):
            let sign = bytes[value.lowerBound]
            kind = .gauge(delta: sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"))
        case (1, UInt8(ascii: "h"), _), (1, UInt8(ascii: "d"), _), (2, UInt8(ascii: "m"), UInt8(ascii: "s")): kind = .timer
        case (1, UInt8(ascii: "s"), _):
            return .metric(StatsDMetric(name: nameText, value: 1, kind: .set, sampleRate: rate, tags: tags, setMember: text(bytes, value)))
        default:
            return .malformed
        }
        guard let number = number(bytes, value) else { return .malformed }
        return .metric(StatsDMetric(name: nameText, value: number, kind: kind, sampleRate: rate, tags: tags))
    }

    /// `key:value` items separated by commas; the value may itself hold
    /// colons, a bare tag gets an empty value, items without a key are
    /// skipped.
    static func appendTags(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to tags: inout [KeyValue]) {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = firstIndex(of: UInt8(ascii: ","), in: bytes, start..<range.upperBound) ?? range.upperBound
            if start < end {
                if let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, start..<end) {
                    if colon > start { tags.append(KeyValue(text(bytes, start..<colon), text(bytes, (colon + 1)..<end))) }
                } else {
                    tags.append(KeyValue(text(bytes, start..<end), ""))
                }
            }
            start = end + 1
        }
    }

    /// A finite decimal number: `[+-]? (digits [. digits?] | . digits)
    /// ([eE] [+-]? digits)?`. Stricter than `Double(_:)`, which also takes
    /// `nan`, `inf` and hexadecimal.
    static func number(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        func digits() -> Int {
            let start = index
            while index < range.upperBound, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < range.upperBound, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissa = digits()
        if index < range.upperBound, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if index < range.upperBound, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < range.upperBound, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        guard index == range.upperBound, let value = Double(text(bytes, range)), value.isFinite else { return nil }
        return value
    }

    static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard range.count >= count else { return false }
        for offset in 0..<count where bytes[range.lowerBound + offset] != prefix.utf8Start[offset] { return false }
        return true
    }

    static func text(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
