import Foundation
import Testing
import TributaryQuery

/// Every `eval` expression of Prometheus' own engine scripts
/// (`../shared/data/promqltest/*.test`) must parse as PromQL, and print to
/// text that parses back to the same tree. Native-histogram literals
/// (`{{…}}`) only occur in `load` lines, never in expressions.
@Suite struct PromQLConformanceParseTests {
    static let scriptDirectory: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(3)  // Tests/TributaryQueryTests/<file>
        components.removeLast()   // the repository (or worktree) directory
        return components.joined(separator: "/") + "/shared/data/promqltest"
    }()

    /// (file, line number, expression) of every eval command.
    static func evalExpressions() throws -> [(file: String, line: Int, expression: String)] {
        let files = ["aggregators", "functions", "histograms", "limit", "literals", "name_label_dropping", "operators", "range_queries", "selectors"]
        var found: [(String, Int, String)] = []
        for file in files {
            let text = try String(contentsOfFile: scriptDirectory + "/" + file + ".test", encoding: .utf8)
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let expression = Self.expression(ofEvalLine: String(line)) else { continue }
                found.append((file, offset + 1, expression))
            }
        }
        return found
    }

    /// `eval[_fail|_warn|_info|_ordered] instant at T expr` or
    /// `eval… range from A to B step S expr` → `expr`.
    static func expression(ofEvalLine line: String) -> String? {
        var words = line.split(separator: " ", maxSplits: 20, omittingEmptySubsequences: true)
        guard let command = words.first, command == "eval" || command.hasPrefix("eval_") else { return nil }
        words.removeFirst()
        let skip: Int
        switch words.first {
        case "instant": skip = 3  // instant at T
        case "range": skip = 7    // range from A to B step S
        default: return nil
        }
        // Re-split the original line to keep the expression's own spacing.
        var rest = Substring(line)
        for _ in 0...skip {
            rest = rest.drop(while: { $0 == " " })
            rest = rest.drop(while: { $0 != " " })
        }
        return String(rest.drop(while: { $0 == " " }))
    }

    @Test func everyEvalExpressionParsesAndRoundTrips() throws {
        let expressions = try Self.evalExpressions()
        #expect(expressions.count > 1_000, "found only \(expressions.count) eval lines")
        var failures: [String] = []
        for (file, line, text) in expressions {
            do {
                let parsed = try QueryExpr.parse(text, language: .promql)
                let printed = parsed.description
                do {
                    let reparsed = try QueryExpr.parse(printed, language: .promql)
                    if !QueryTreeComparison.same(reparsed, parsed) { failures.append("\(file):\(line): \(text) printed as \(printed) parses differently") }
                } catch {
                    failures.append("\(file):\(line): \(text) printed as \(printed) does not parse: \(error)")
                }
            } catch {
                failures.append("\(file):\(line): \(text): \(error)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(expressions.count) eval expressions fail:\n" + failures.joined(separator: "\n")))
    }
}
