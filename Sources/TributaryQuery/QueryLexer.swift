/// Quotes `value` so that the lexer reads it back unchanged.
func quotedQueryString(_ value: String) -> String {
    var quoted = "\""
    for character in value {
        if character == "\\" || character == "\"" { quoted.append("\\") }
        quoted.append(character)
    }
    return quoted + "\""
}

/// Splits a query into tokens: identifiers, "double-quoted" strings with
/// Go/PromQL escapes, `raw` strings, numbers, durations and the operators
/// `{ } ( ) [ ] , = != =~ !~ |= |~`.
struct QueryLexer {
    static let symbols = ["|=", "|~", "!=", "!~", "=~", "{", "}", "(", ")", "[", "]", ",", "="]

    static func tokens(_ text: String) throws(QueryError) -> [QueryToken] {
        let characters = Array(text)
        var tokens: [QueryToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            let start = index
            if character == "\"" || character == "`" {
                let (string, end) = try readString(characters, from: index)
                tokens.append(QueryToken(kind: .string(string), position: start))
                index = end
                continue
            }
            if character.isLetter || character == "_" {
                var end = index
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" || characters[end] == ":" {
                    end += 1
                }
                tokens.append(QueryToken(kind: .identifier(String(characters[index..<end])), position: start))
                index = end
                continue
            }
            if character.isNumber {
                var end = index
                while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
                let number = String(characters[index..<end])
                if end < characters.count, characters[end].isLetter {
                    // A duration: digits and units, possibly compound (1h30m).
                    while end < characters.count, characters[end].isLetter || characters[end].isNumber { end += 1 }
                    let text = String(characters[index..<end])
                    guard let milliseconds = parseDuration(text) else {
                        throw QueryError(position: start, expected: "a duration such as 30s, 5m or 1h", found: "\"\(text)\"")
                    }
                    tokens.append(QueryToken(kind: .duration(milliseconds), position: start))
                } else {
                    guard let value = Double(number) else {
                        throw QueryError(position: start, expected: "a number", found: "\"\(number)\"")
                    }
                    tokens.append(QueryToken(kind: .number(value), position: start))
                }
                index = end
                continue
            }
            // An unknown character becomes a one-character symbol, so the
            // parser can say what it expected in that place.
            let symbol = symbols.first(where: { matches($0, characters, at: index) }) ?? String(character)
            tokens.append(QueryToken(kind: .symbol(symbol), position: start))
            index += symbol.count
        }
        tokens.append(QueryToken(kind: .end, position: characters.count))
        return tokens
    }

    private static func matches(_ symbol: String, _ characters: [Character], at index: Int) -> Bool {
        let symbolCharacters = Array(symbol)
        guard index + symbolCharacters.count <= characters.count else { return false }
        return Array(characters[index..<(index + symbolCharacters.count)]) == symbolCharacters
    }

    private static func readString(_ characters: [Character], from start: Int) throws(QueryError) -> (String, Int) {
        let quote = characters[start]
        var index = start + 1
        var result = ""
        while index < characters.count {
            let character = characters[index]
            if character == quote { return (result, index + 1) }
            if quote == "\"", character == "\\" {
                guard index + 1 < characters.count else { break }
                let escaped = characters[index + 1]
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\\": result.append("\\")
                case "\"": result.append("\"")
                default:
                    // Keep unknown escapes for the regex engine (\d, \.).
                    result.append("\\")
                    result.append(escaped)
                }
                index += 2
                continue
            }
            result.append(character)
            index += 1
        }
        throw QueryError(position: start, expected: "a closing \(quote) for the string started here", found: "the end of the query")
    }

    /// `30s`, `5m`, `1h30m`, `250ms`, `7d`, `1w` in milliseconds.
    static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000)]
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber }
            guard let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            // Too long for 64 bits is not a duration (found by fuzz-query).
            let (scaled, overflow) = value.multipliedReportingOverflow(by: factor)
            let (sum, overflowAgain) = total.addingReportingOverflow(scaled)
            guard !overflow, !overflowAgain else { return nil }
            total = sum
        }
        return total
    }
}
