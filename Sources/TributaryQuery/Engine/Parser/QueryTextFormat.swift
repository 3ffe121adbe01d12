/// How the printer spells literals so that the parser reads them back to
/// the same values.
enum QueryTextFormat {
    /// A double-quoted string with Go escapes for quotes, backslashes and
    /// control characters (a raw line break would end the string).
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    text += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value >= 0x80 && scalar.value < 0xa0 {
                    text += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A label or metric name as written in a selector or grouping: bare
    /// when it is a valid identifier, quoted otherwise (`"http.status"`).
    static func name(_ name: String) -> String {
        isIdentifier(name) ? name : quoted(name)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*` (metric names may also hold `:`).
    static func isIdentifier(_ name: String, allowingColons: Bool = false) -> Bool {
        guard let first = name.unicodeScalars.first, QueryExprLexer.isLetter(first) || (allowingColons && first == ":") else { return false }
        return name.unicodeScalars.allSatisfy { QueryExprLexer.isLetter($0) || QueryExprLexer.isDigit($0) || (allowingColons && $0 == ":") }
    }

    /// `1`, `-2.5`, `1e+300`, `Inf`, `-Inf`, `NaN`: integers without a
    /// fraction, others in the shortest form that reads back exactly.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Nanoseconds as seconds in exact decimal notation: `1700000000.5`, `0.000001`.
    static func seconds(_ nanoseconds: Int64) -> String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000
        var fraction = String(magnitude % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
