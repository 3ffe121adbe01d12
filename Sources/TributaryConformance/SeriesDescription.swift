import TributaryModel

/// One line of a `load` block or of an eval's expected result:
/// `metric{label="value"} 0+10x5 _ stale 3`, parsed into labels and a
/// value per step in the expanding notation of Prometheus' test language.
struct SeriesDescription {
    enum Point: Equatable {
        case value(Double)
        /// `_`: no sample at this step.
        case omitted
        /// `{{…}}`: a native histogram (out of scope).
        case histogram
    }

    var labels: Labels
    var points: [Point]

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `metric{a="b"} values…`.
    static func parse(_ line: String) throws -> SeriesDescription {
        var scanner = LineScanner(line)
        let labels = try scanner.labels()
        var points: [Point] = []
        while let token = scanner.valueToken() {
            points += try expand(token)
        }
        return SeriesDescription(labels: labels, points: points)
    }

    static func expand(_ token: String) throws -> [Point] {
        if token.hasPrefix("{{") {
            // `{{…}}`, `{{…}}x3` or `{{…}}+{{…}}x3`: the repetition follows the last `}}`.
            var count = 1
            let characters = Array(token)
            if let close = (0..<(characters.count - 1)).last(where: { characters[$0] == "}" && characters[$0 + 1] == "}" }) {
                let tail = String(characters[(close + 2)...])
                if tail.hasPrefix("x"), let repeats = Int(tail.dropFirst()) { count = repeats + 1 }
            }
            return [Point](repeating: .histogram, count: count)
        }
        if token == "_" { return [.omitted] }
        if token.hasPrefix("_x") {
            guard let count = Int(token.dropFirst(2)) else { throw Malformed(description: "bad repetition \(token)") }
            return [Point](repeating: .omitted, count: count)
        }
        guard let xIndex = token.lastIndex(of: "x") else {
            return [.value(try number(token))]
        }
        guard let repeats = Int(token[token.index(after: xIndex)...]) else {
            return [.value(try number(token))]
        }
        let head = String(token[..<xIndex])
        // head is `start` or `start±increment`: the sign after the first character, not after an exponent's e.
        var split: String.Index?
        var index = head.index(after: head.startIndex)
        while index < head.endIndex {
            let character = head[index]
            let before = head[head.index(before: index)]
            if character == "+" || character == "-", before != "e", before != "E" { split = index }
            index = head.index(after: index)
        }
        if let split {
            let start = try number(String(head[..<split]))
            let increment = try number(String(head[split...]))
            var result: [Point] = []
            var value = start
            for _ in 0...repeats {
                result.append(.value(value))
                value += increment
            }
            return result
        }
        let value = try number(head)
        return [Point](repeating: .value(value), count: repeats + 1)
    }

    /// A Go float: `1`, `-2.5e3`, `Inf`, `+Inf`, `NaN`, `0x1f`, or `stale`.
    /// (In a series description `0x5` is 0 repeated, never hex: `x` always
    /// means repetition there, as in Prometheus' series lexer.)
    static func number(_ text: String) throws -> Double {
        switch text {
        case "stale": return Double(bitPattern: 0x7ff0_0000_0000_0002)
        case "Inf", "+Inf", "inf", "+inf": return .infinity
        case "-Inf", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        default: break
        }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        if body.hasPrefix("0x") || body.hasPrefix("0X"), let value = Int64(body.dropFirst(2), radix: 16) {
            return negative ? -Double(value) : Double(value)
        }
        guard let value = Double(body) else { throw Malformed(description: "not a number: \(text)") }
        return negative ? -value : value
    }
}
