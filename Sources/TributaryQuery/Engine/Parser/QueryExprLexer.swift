/// Splits PromQL or LogQL text into tokens, as Prometheus' lexer does:
/// identifiers (with `:` in metric names), strings in `"…"`/`'…'` with Go
/// escapes and `` `…` `` raw, numbers (decimal, exponent, hex, `_`
/// separators), numbers with units (`5m`, `1.5s`, `20MB`), operators, and
/// `#` comments to the end of the line. LogQL's `|=`, `|~`, `|>`, `!>` and
/// `|` are tokens too: they mean nothing in PromQL.
struct QueryExprLexer {
    /// Longest first, so `|=` wins over `|`.
    static let symbols = ["==", "!=", "=~", "!~", "<=", ">=", "|=", "|~", "|>", "!>",
                          "(", ")", "{", "}", "[", "]", ",", "=", "<", ">", "+", "-", "*", "/", "%", "^", "@", "|", ":"]

    private let scalars: [Unicode.Scalar]
    private var index = 0
    /// Inside `[…]` a `:` separates a subquery's range from its step
    /// instead of starting a metric name.
    private var bracketDepth = 0

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokens(_ text: String) throws(QueryError) -> [QueryExprToken] {
        var lexer = QueryExprLexer(text)
        var tokens: [QueryExprToken] = []
        while let token = try lexer.next() { tokens.append(token) }
        tokens.append(QueryExprToken(kind: .end, position: lexer.scalars.count, end: lexer.scalars.count))
        return tokens
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar >= "0" && scalar <= "9"
    }

    static func isLetter(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private mutating func next() throws(QueryError) -> QueryExprToken? {
        while let scalar = peek() {
            if Self.isSpace(scalar) {
                index += 1
            } else if scalar == "#" {
                while let skipped = peek(), skipped != "\n" { index += 1 }
            } else {
                break
            }
        }
        guard let scalar = peek() else { return nil }
        let start = index
        if scalar == "\"" || scalar == "'" || scalar == "`" {
            let value = try readString()
            return QueryExprToken(kind: .string(value), position: start, end: index)
        }
        if Self.isDigit(scalar) || (scalar == "." && Self.isDigit(peek(1))) {
            return readNumber()
        }
        if Self.isLetter(scalar) || (scalar == ":" && bracketDepth == 0) {
            while let next = peek(), Self.isLetter(next) || Self.isDigit(next) || next == ":" { index += 1 }
            return QueryExprToken(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<index]))), position: start, end: index)
        }
        guard let symbol = Self.symbols.first(where: { matches($0) }) else {
            throw QueryError(position: start, expected: "an operator, a name, a number or a string", found: "the character \(QueryTextFormat.quoted(String(scalar)))")
        }
        index += symbol.unicodeScalars.count
        if symbol == "[" { bracketDepth += 1 }
        if symbol == "]", bracketDepth > 0 { bracketDepth -= 1 }
        return QueryExprToken(kind: .symbol(symbol), position: start, end: index)
    }

    private func matches(_ symbol: String) -> Bool {
        var offset = 0
        for scalar in symbol.unicodeScalars {
            guard peek(offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    /// A number, or a number running into letters (`5m`, `1h30m`, `1.5s`,
    /// `20MB`, `1KiB`): the parser reads the latter as a duration or a
    /// size depending on where it stands, and refuses it elsewhere.
    private mutating func readNumber() -> QueryExprToken {
        let start = index
        let hex = peek() == "0" && (peek(1) == "x" || peek(1) == "X")
        var mantissaOnly = !hex
        while let scalar = peek() {
            if Self.isLetter(scalar) || Self.isDigit(scalar) || scalar == "." || scalar == "µ" || scalar == "μ" {
                if !(Self.isDigit(scalar) || scalar == "." || scalar == "_" || scalar == "e" || scalar == "E") { mantissaOnly = false }
                index += 1
                // `1e-3`, `2.5E+10`: a sign right after the exponent mark.
                if mantissaOnly, scalar == "e" || scalar == "E", let sign = peek(), sign == "+" || sign == "-", Self.isDigit(peek(1)) {
                    index += 1
                }
            } else {
                break
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        let kind: QueryExprToken.Kind = NumberText.looksNumeric(text) ? .number(text) : .unitNumber(text)
        return QueryExprToken(kind: kind, position: start, end: index)
    }

    /// A quoted string with Go escapes, or a raw string between backticks.
    /// Escapes that name bytes (`\xc3\xa9`, `\303`) are joined as UTF-8.
    private mutating func readString() throws(QueryError) -> String {
        let start = index
        let quote = scalars[index]
        index += 1
        var bytes: [UInt8] = []
        func append(_ scalar: Unicode.Scalar) { bytes.append(contentsOf: Array(String(scalar).utf8)) }
        while let scalar = peek() {
            index += 1
            if scalar == quote { return String(decoding: bytes, as: UTF8.self) }
            if quote == "`" {
                append(scalar)
                continue
            }
            if scalar == "\n" { break }
            guard scalar == "\\" else {
                append(scalar)
                continue
            }
            let escapeStart = index - 1
            guard let escaped = peek() else { break }
            index += 1
            switch escaped {
            case "a": bytes.append(7)
            case "b": bytes.append(8)
            case "f": bytes.append(12)
            case "n": bytes.append(10)
            case "r": bytes.append(13)
            case "t": bytes.append(9)
            case "v": bytes.append(11)
            case "\\": bytes.append(92)
            case quote: append(quote)
            case "0"..."7":
                index -= 1
                let value = try readEscapeDigits(count: 3, radix: 8, from: escapeStart)
                guard value <= 255 else { throw QueryError(position: escapeStart, expected: "an octal escape of at most \\377", found: "an escape beyond one byte") }
                bytes.append(UInt8(value))
            case "x":
                bytes.append(UInt8(try readEscapeDigits(count: 2, radix: 16, from: escapeStart)))
            case "u", "U":
                let value = try readEscapeDigits(count: escaped == "u" ? 4 : 8, radix: 16, from: escapeStart)
                guard let unicode = Unicode.Scalar(value) else {
                    throw QueryError(position: escapeStart, expected: "a valid Unicode code point", found: "an escape sequence that is not one")
                }
                append(unicode)
            default:
                throw QueryError(position: escapeStart, expected: "a known escape sequence (\\n, \\t, \\\\, \\\(quote), \\x41, \\u00e9 …; write \\\\ for a backslash or use a `raw string`)",
                                 found: "\"\\\(escaped)\"")
            }
        }
        throw QueryError(position: start, expected: "a closing \(quote) for the string started here", found: index >= scalars.count ? "the end of the query" : "a line break")
    }

    private mutating func readEscapeDigits(count: Int, radix: UInt32, from escapeStart: Int) throws(QueryError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let scalar = peek(), let digit = Character(scalar).hexDigitValue, UInt32(digit) < radix else {
                throw QueryError(position: escapeStart, expected: "\(count) \(radix == 8 ? "octal" : "hexadecimal") digits in the escape sequence",
                                 found: peek().map { "\(QueryTextFormat.quoted(String($0)))" } ?? "the end of the query")
            }
            value = value * radix + UInt32(digit)
            index += 1
        }
        return value
    }
}
