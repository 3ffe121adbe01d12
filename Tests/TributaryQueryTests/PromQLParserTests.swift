import Testing
import TributaryModel
import TributaryQuery

/// PromQL text → tree → canonical text, as Prometheus' parser reads it.
@Suite struct PromQLParserTests {
    static func parse(_ text: String) throws(QueryError) -> QueryExpr {
        try QueryExpr.parse(text, language: .promql)
    }

    /// (written, canonical): the canonical form parses back to the same tree.
    @Test(arguments: [
        // Numbers and durations used as numbers.
        ("1", "1"), ("1.5", "1.5"), (".5", "0.5"), ("5.", "5"), ("1e3", "1000"), ("1E-3", "0.001"), ("2.5e+2", "250"),
        ("0x1f", "31"), ("0X1F", "31"), ("1_000", "1000"), ("010", "8"), ("Inf", "Inf"), ("-inf", "-Inf"), ("+Inf", "Inf"),
        ("+5", "5"), ("-5", "-5"), ("- -5", "5"), ("5m", "300"), ("1h30m", "5400"), ("250ms", "0.25"), ("1y", "31536000"),
        // Strings.
        (#""a\nb""#, #""a\nb""#), (#"'it\'s'"#, #""it's""#), ("`a\\d`", #""a\\d""#), (#""\x41\u00e9\303\251\U0001F600""#, "\"Aéé😀\""),
        // Selectors.
        ("up", "up"), (#"up{job="a",}"#, #"up{job="a"}"#), (#"{__name__="up"}"#, #"{__name__="up"}"#),
        (#"{"up", job="x"}"#, #"{__name__="up", job="x"}"#), (#"{"http.status"="200", a!~"b|c"}"#, #"{"http.status"="200", a!~"b|c"}"#),
        ("foo:bar:rate5m", "foo:bar:rate5m"), (#"sum{a="b"}"#, #"sum{a="b"}"#), ("by", "by"), ("offset", "offset"), ("start", "start"),
        ("foo offset 5m", "foo offset 5m"), ("foo offset -1h30m", "foo offset -1h30m"), ("foo offset 90", "foo offset 1m30s"),
        ("foo @ 100", "foo @ 100"), ("foo @ 1.5", "foo @ 1.5"), ("foo @ -10", "foo @ -10"), ("foo @ 1700000000.123456789", "foo @ 1700000000.123456789"),
        ("foo @ start()", "foo @ start()"), ("foo offset 5m @ end()", "foo offset 5m @ end()"), ("foo @ END() OFFSET 5m", "foo offset 5m @ end()"),
        ("foo[5m]", "foo[5m]"), ("foo[5m] offset 1m @ 10", "foo[5m] offset 1m @ 10"), ("foo[90]", "foo[1m30s]"), ("foo[1.5]", "foo[1s500ms]"),
        ("foo[0.0001]", "foo[0.0001]"), ("foo[1d12h]", "foo[1d12h]"), ("foo[2w]", "foo[2w]"),
        // Subqueries.
        ("rate(foo[5m:])", "rate(foo[5m:])"), ("foo[5m:1m] offset 1m @ 10", "foo[5m:1m] offset 1m @ 10"),
        ("rate(foo[5m])[30m:1m]", "rate(foo[5m])[30m:1m]"), ("(a + b)[5m:]", "(a + b)[5m:]"), ("foo offset 5m [10m:1m]", "foo offset 5m[10m:1m]"),
        // Operators and modifiers.
        ("a + on(x) group_left(y) b", "a + on (x) group_left (y) b"), ("a * ignoring(x) group_right b", "a * ignoring (x) group_right () b"),
        ("a > bool 1", "a > bool 1"), ("a and ignoring(x) b", "a and ignoring (x) b"), ("a or on() b", "a or on () b"), ("a unless b", "a unless b"),
        ("a ATAN2 b", "a atan2 b"), ("a AND b", "a and b"), ("1 + on() foo", "1 + foo"), ("a == bool on(x, y,) b", "a == bool on (x, y) b"),
        ("a+b*c", "a + b * c"), ("2^-1", "2 ^ -1"), ("a - -b", "a - -b"), ("-(1)", "-(1)"), ("-a ^ 2", "-a ^ 2"), ("- -a", "- -a"),
        // Aggregations.
        ("sum by (job) (x)", "sum by (job) (x)"), ("sum(x) by (job)", "sum by (job) (x)"), ("SUM BY (job) (x)", "sum by (job) (x)"),
        ("topk(3, x)", "topk(3, x)"), (#"count_values("v", x)"#, #"count_values("v", x)"#), ("quantile without(a)(0.9, x)", "quantile without (a) (0.9, x)"),
        ("sum without () (x)", "sum without () (x)"), ("sum by () (x)", "sum(x)"), ("sum by (on, by, offset, bool) (x)", "sum by (on, by, offset, bool) (x)"),
        (#"sum by ("a.b", c) (x)"#, #"sum by ("a.b", c) (x)"#), ("limitk(2, x)", "limitk(2, x)"), ("group(x)", "group(x)"),
        // Calls.
        ("time()", "time()"), (#"label_replace(up, "a", "$1", "b", "(.*)")"#, #"label_replace(up, "a", "$1", "b", "(.*)")"#), ("round(x)", "round(x)"),
        ("round(x, 5)", "round(x, 5)"), ("histogram_quantile(0.9, sum by (le) (rate(x[5m])))", "histogram_quantile(0.9, sum by (le) (rate(x[5m])))"),
        ("vector(1)+vector(1)", "vector(1) + vector(1)"), ("start() + step()", "start() + step()"), ("sum(x) # a comment", "sum(x)"),
        ("sum(\n  rate(x[5m])\n)", "sum(rate(x[5m]))"), (#"label_join(a, "d", ",", "x", "y", "z")"#, #"label_join(a, "d", ",", "x", "y", "z")"#),
    ])
    func parsesAndPrintsCanonically(text: String, canonical: String) throws {
        let parsed = try Self.parse(text)
        #expect(parsed.description == canonical)
        let reparsed = try Self.parse(parsed.description)
        #expect(QueryTreeComparison.same(reparsed, parsed), "\(canonical) reads back as \(reparsed)")
    }

    @Test func treesHoldWhatWasWritten() throws {
        guard case .matrix(let selector, let range) = try Self.parse(#"http_requests_total{code=~"5.."}[1h30m] offset -5m @ 1700000000.5"#) else {
            Issue.record("not a matrix selector")
            return
        }
        #expect(range == 5_400_000_000_000)
        #expect(selector.name == "http_requests_total")
        #expect(selector.matchers.map(\.description) == [#"code=~"5..""#, #"__name__="http_requests_total""#])
        #expect(selector.offset == -300_000_000_000)
        #expect(selector.at == .time(1_700_000_000_500_000_000))
        #expect(selector.matchers[0].matches(try Labels(["code": "503"])))
        #expect(!selector.matchers[0].matches(try Labels(["code": "5030"])), "label regexes are anchored")

        #expect(try Self.parse("a + on(x) group_left(y) b") == .binary(BinaryExpr(
            op: .add, lhs: .vector(VectorSelector(name: "a", matchers: try Self.nameMatchers("a"))),
            rhs: .vector(VectorSelector(name: "b", matchers: try Self.nameMatchers("b"))),
            matching: VectorMatching(cardinality: .manyToOne, on: true, labels: ["x"], include: ["y"]))))
        guard case .binary(let set) = try Self.parse("a and on(x) b"), case .binary(let plain) = try Self.parse("a and b") else {
            Issue.record("not binary")
            return
        }
        #expect(set.matching == VectorMatching(cardinality: .manyToMany, on: true, labels: ["x"]))
        #expect(plain.matching == nil)
        guard case .subquery(let subquery) = try Self.parse("rate(x[5m])[1h:] offset 1m") else {
            Issue.record("not a subquery")
            return
        }
        #expect(subquery.range == 3_600_000_000_000 && subquery.step == nil && subquery.offset == 60_000_000_000)
        #expect(try Self.parse("-1") == .number(-1))
        #expect(try Self.parse("5m") == .number(300))
        #expect(try Self.parse("topk(3, x)").type == .vector)
        #expect(try Self.parse("scalar(x)").type == .scalar)
        #expect(try Self.parse("1 + 2").type == .scalar)
        #expect(try Self.parse("1 + x").type == .vector)
        #expect(try Self.parse("x[5m]").type == .matrix)
        #expect(try Self.parse("\"s\"").type == .string)
    }

    static func nameMatchers(_ name: String) throws -> [LabelMatcher] {
        guard case .vector(let selector) = try QueryExpr.parse(name, language: .promql) else { return [] }
        return selector.matchers
    }

    /// Fully parenthesized shapes of Prometheus' precedence and associativity.
    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"), ("1 * 2 + 3", "((1 * 2) + 3)"), ("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"), ("-2 ^ 2", "(-(2 ^ 2))"),
        ("-a * b", "((-a) * b)"), ("a - b - c", "((a - b) - c)"), ("a / b % c", "((a / b) % c)"), ("a * b atan2 c", "((a * b) atan2 c)"),
        ("a atan2 b * c", "((a atan2 b) * c)"), ("a or b and c", "(a or (b and c))"), ("a and b unless c", "((a and b) unless c)"),
        ("a unless b or c", "((a unless b) or c)"), ("a > b + c", "(a > (b + c))"), ("a == b or c == d", "((a == b) or (c == d))"),
        ("a + b offset 5m", "(a + b offset 5m)"), ("-foo offset 5m", "(-foo offset 5m)"), ("2 ^ -1", "(2 ^ -1)"), ("a ^ -b ^ c", "(a ^ (-(b ^ c)))"),
        ("a > b and c < d", "((a > b) and (c < d))"), ("a + b > bool c * d", "((a + b) > (c * d))"), ("(a + b) * c", "([(a + b)] * c)"),
        ("a ^ b * c", "((a ^ b) * c)"), ("-a ^ -b", "(-(a ^ (-b)))"), ("a * -b + c", "((a * (-b)) + c)"), ("a - -1", "(a - -1)"),
    ])
    func precedenceAndAssociativity(text: String, shape: String) throws {
        let parsed = try Self.parse(text)
        #expect(QueryTreeComparison.shape(parsed) == shape)
        #expect(QueryTreeComparison.same(try Self.parse(parsed.description), parsed), "\(parsed) does not read back")
    }

    @Test func keywordsAreCaseInsensitiveButFunctionNamesAreNot() throws {
        #expect(try Self.parse("SUM BY (a) (x) + ON (a) GROUP_LEFT COUNT(y OFFSET 1m)") == (try Self.parse("sum by (a) (x) + on (a) group_left count(y offset 1m)")))
        #expect(throws: QueryError.self) { try Self.parse("RATE(x[5m])") }
    }

    @Test func everyFunctionInTheTableParsesWithItsSignature() throws {
        let arguments: [QueryValueType: String] = [.vector: "x", .matrix: "x[5m]", .scalar: "1", .string: "\"s\""]
        for function in PromQLFunction.all {
            let written = function.argumentTypes.prefix(function.minimumArgumentCount).compactMap { arguments[$0] }
            let text = "\(function.name)(\(written.joined(separator: ", ")))"
            let parsed = try Self.parse(text)
            #expect(parsed.type == function.returnType, "\(text)")
            #expect(parsed.description == text)
        }
        // Tributary's four anomaly_* functions (docs/anomalies.md) are extensions.
        #expect(PromQLFunction.all.filter { !$0.name.hasPrefix("anomaly_") }.count == 90, "Prometheus d15adb9ad7e5 has 90 functions")
        #expect(PromQLFunction.named("histogram_quantiles")?.maximumArgumentCount == 12)
        #expect(PromQLFunction.named("label_join")?.maximumArgumentCount == nil)
        #expect(PromQLFunction.named("day_of_month")?.minimumArgumentCount == 0)
    }

    @Test func nestingIsBoundedNotTrapped() throws {
        let nested = String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200)
        #expect(try Self.parse(nested).type == .vector)
        let tooDeep = String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)
        #expect(throws: QueryError.self) { try Self.parse(tooDeep) }
        let longChain = Array(repeating: "1", count: 100_000).joined(separator: " + ")
        #expect(throws: QueryError.self) { try Self.parse(longChain) }
        let signs = String(repeating: "-", count: 100_000) + "1"
        #expect(throws: QueryError.self) { try Self.parse(signs) }
        let shortChain = Array(repeating: "x", count: 200).joined(separator: " or ")
        #expect(try Self.parse(shortChain).type == .vector)
    }
}
