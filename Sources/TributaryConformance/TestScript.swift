import TributaryModel
import TributaryQuery

/// A Prometheus PromQL test script (promql/promqltest, see DSL.md): `load`,
/// `clear` and `eval` commands, read the way Prometheus reads them
/// (trimmed lines, `#` comments, a blank line ends a block).
struct TestScript {
    enum Command {
        case clear
        case load(interval: Int64, withNHCB: Bool, series: [SeriesDescription], line: Int, error: String?)
        case eval(EvalCase)
    }

    var commands: [Command] = []

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            let trimmed = raw.trimmingSpaces
            return trimmed.hasPrefix("#") ? "" : trimmed
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard !line.isEmpty else {
                index += 1
                continue
            }
            let word = line.prefix { $0 != " " && $0 != "\t" }.lowercased()
            var block: [(Int, String)] = []
            var next = index + 1
            while next < lines.count, !lines[next].isEmpty {
                block.append((next + 1, lines[next]))
                next += 1
            }
            if word == "clear" {
                commands.append(.clear)
                index += 1
                continue
            }
            if word.hasPrefix("load") {
                commands.append(TestScript.load(line, block, lineNumber: index + 1))
            } else if word.hasPrefix("eval") {
                commands.append(.eval(TestScript.eval(line, block, lineNumber: index + 1)))
            }
            index = next
        }
    }

    private static func load(_ header: String, _ block: [(Int, String)], lineNumber: Int) -> Command {
        let parts = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let withNHCB = parts.first == "load_with_nhcb"
        guard parts.count >= 2, let interval = try? duration(String(parts[1])) else {
            return .load(interval: 0, withNHCB: false, series: [], line: lineNumber, error: "bad load command: \(header)")
        }
        var series: [SeriesDescription] = []
        for (number, text) in block {
            if text.contains("@st") { return .load(interval: interval, withNHCB: withNHCB, series: series, line: number, error: "start timestamps (@st) are not supported") }
            do {
                series.append(try SeriesDescription.parse(text))
            } catch {
                return .load(interval: interval, withNHCB: withNHCB, series: series, line: number, error: "line \(number): \(error)")
            }
        }
        return .load(interval: interval, withNHCB: withNHCB, series: series, line: lineNumber, error: nil)
    }

    /// `0`, `5m`, `1h30m`, `100ms` (Prometheus' model.ParseDuration) in ns.
    static func duration(_ text: String) throws -> Int64 {
        if text == "0" { return 0 }
        return try QueryTime.parseDuration(text)
    }

    private static func eval(_ header: String, _ block: [(Int, String)], lineNumber: Int) -> EvalCase {
        var words = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var evalCase = EvalCase(line: lineNumber, query: "", isRange: false, start: 0, end: 0, step: 0)
        let command = words.removeFirst()
        switch command {
        case "eval_fail": evalCase.fail = true
        case "eval_warn": evalCase.legacyWarn = true
        case "eval_info": evalCase.legacyInfo = true
        case "eval_ordered": evalCase.ordered = true
        default: break
        }
        do {
            if words.first == "instant" {
                words.removeFirst()
                if words.first == "at" {
                    words.removeFirst()
                    evalCase.start = try duration(words.removeFirst())
                }
                evalCase.end = evalCase.start
            } else if words.first == "range", words.count >= 8, words[1] == "from", words[3] == "to", words[5] == "step" {
                evalCase.isRange = true
                evalCase.start = try duration(words[2])
                evalCase.end = try duration(words[4])
                evalCase.step = try duration(words[6])
                words.removeFirst(7)
            } else {
                evalCase.malformed = "bad eval command"
            }
        } catch {
            evalCase.malformed = "bad time in eval command: \(error)"
        }
        // The query is the rest of the header as written (spacing kept).
        evalCase.query = TestScript.rest(of: header, afterWords: header.split(separator: " ").count - words.count)
        var position = 0
        for (number, text) in block {
            do {
                try expectation(text, into: &evalCase, position: &position)
            } catch {
                evalCase.malformed = "line \(number): \(error)"
            }
        }
        return evalCase
    }

    private static func rest(of header: String, afterWords count: Int) -> String {
        var remaining = Substring(header)
        for _ in 0..<count {
            remaining = remaining.drop { $0 == " " || $0 == "\t" }
            remaining = remaining.drop { $0 != " " && $0 != "\t" }
        }
        return String(remaining.drop { $0 == " " || $0 == "\t" })
    }

    private static func expectation(_ text: String, into evalCase: inout EvalCase, position: inout Int) throws {
        if evalCase.fail, text.hasPrefix("expected_fail_message") {
            evalCase.failExpectation = .message(String(text.dropFirst("expected_fail_message".count)).trimmingSpaces)
            return
        }
        if evalCase.fail, text.hasPrefix("expected_fail_regexp") {
            evalCase.failExpectation = .regex(try CompiledRegex(String(text.dropFirst("expected_fail_regexp".count)).trimmingSpaces))
            return
        }
        if text.hasPrefix("expect range vector") {
            let words = text.split(separator: " ").map(String.init)
            guard words.count == 9, words[3] == "from", words[5] == "to", words[7] == "step" else {
                throw SeriesDescription.Malformed(description: "bad range vector expectation")
            }
            evalCase.rangeVector = (try duration(words[4]), try duration(words[6]), try duration(words[8]))
            return
        }
        if text.hasPrefix("expect string") {
            evalCase.expectedString = try unquote(String(text.dropFirst("expect string".count)).trimmingSpaces)
            return
        }
        if text.split(separator: " ").first == "expect" {
            var body = Substring(text.dropFirst("expect".count)).drop { $0 == " " }
            let kind = String(body.prefix { $0 != " " && $0 != ":" })
            body = body.dropFirst(kind.count).drop { $0 == " " }
            var matcher = EvalCase.Expectation.any
            if body.hasPrefix("msg:") {
                matcher = .message(String(body.dropFirst(4)).trimmingSpaces)
            } else if body.hasPrefix("regex:") {
                matcher = .regex(try CompiledRegex(String(body.dropFirst(6)).trimmingSpaces))
            }
            switch kind {
            case "ordered": evalCase.ordered = true
            case "fail":
                evalCase.fail = true
                evalCase.failExpectation = matcher
            case "warn": evalCase.warnings.append(matcher)
            case "info": evalCase.infos.append(matcher)
            case "no_warn": evalCase.noWarnings = true
            case "no_info": evalCase.noInfos = true
            default: throw SeriesDescription.Malformed(description: "unknown expectation \(kind)")
            }
            return
        }
        if let number = try? SeriesDescription.number(text), !text.contains(" ") {
            evalCase.expectedScalar = number
            return
        }
        let series = try SeriesDescription.parse(text)
        position += 1
        if series.points.contains(.histogram) { evalCase.expectsHistogram = true }
        evalCase.expectedSeries.append(.init(labels: series.labels, points: series.points, position: position))
    }

    /// Go's strconv.Unquote for "…" and `…`.
    static func unquote(_ text: String) throws -> String {
        guard let first = text.first, text.count >= 2, first == text.last, first == "\"" || first == "`" else {
            throw SeriesDescription.Malformed(description: "expected a quoted string")
        }
        let inner = String(text.dropFirst().dropLast())
        if first == "`" { return inner }
        var scanner = LineScanner("{a=\"" + inner + "\"}")
        return try scanner.labels()["a"] ?? ""
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
