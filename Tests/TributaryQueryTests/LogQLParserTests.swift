import Testing
import TributaryModel
import TributaryQuery

/// LogQL text → tree → canonical text, as Loki's grammar reads it.
@Suite struct LogQLParserTests {
    static func parse(_ text: String, _ language: QueryLanguage = .auto) throws(QueryError) -> QueryExpr {
        try QueryExpr.parse(text, language: language)
    }

    /// (written, canonical).
    @Test(arguments: [
        (#"{app="api"}"#, #"{app="api"}"#),
        (#"{app="api", env!="dev",}"#, #"{app="api", env!="dev"}"#),
        (#"{app="api"} |= "error" != "debug" |~ "5\\d\\d" !~ `x\d`"#, #"{app="api"} |= "error" != "debug" |~ "5\\d\\d" !~ "x\\d""#),
        (#"{app="api"} | json"#, #"{app="api"} | json"#),
        (#"{app="api"} | json a="b.c", d, e="f[0]""#, #"{app="api"} | json a="b.c", d="d", e="f[0]""#),
        (#"{app="api"} | logfmt"#, #"{app="api"} | logfmt"#),
        (#"{app="api"} | logfmt --strict --keep-empty a="x", b"#, #"{app="api"} | logfmt --strict --keep-empty a="x", b="b""#),
        (#"{app="api"} | logfmt --keep-empty"#, #"{app="api"} | logfmt --keep-empty"#),
        (#"{app="api"} | regexp "(?P<ip>\\S+) (?P<verb>\\w+)""#, #"{app="api"} | regexp "(?P<ip>\\S+) (?P<verb>\\w+)""#),
        (#"{app="api"} | pattern "<ip> - <_> [<time>] \"<method> <path> <_>\"""#, #"{app="api"} | pattern "<ip> - <_> [<time>] \"<method> <path> <_>\"""#),
        (#"{app="api"} | unpack | decolorize"#, #"{app="api"} | unpack | decolorize"#),
        (#"{app="api"} | line_format "{{.method}} {{.path}}""#, #"{app="api"} | line_format "{{.method}} {{.path}}""#),
        (#"{app="api"} | label_format a=b, c="{{.d}}-{{.e}}""#, #"{app="api"} | label_format a=b, c="{{.d}}-{{.e}}""#),
        (#"{app="api"} | drop a, b="x", c=~"y.*" | keep d, e!="z""#, #"{app="api"} | drop a, b="x", c=~"y.*" | keep d, e!="z""#),
        (#"{app="api"} | json | level="error""#, #"{app="api"} | json | level="error""#),
        (#"{app="api"} | logfmt | status >= 500"#, #"{app="api"} | logfmt | status >= 500"#),
        (#"{app="api"} | logfmt | status = 500"#, #"{app="api"} | logfmt | status == 500"#),
        (#"{app="api"} | logfmt | latency > 250ms"#, #"{app="api"} | logfmt | latency > 250ms"#),
        (#"{app="api"} | logfmt | latency > 1.5s"#, #"{app="api"} | logfmt | latency > 1s500ms"#),
        (#"{app="api"} | logfmt | latency <= 1h2m"#, #"{app="api"} | logfmt | latency <= 1h2m"#),
        (#"{app="api"} | logfmt | latency < 300us"#, #"{app="api"} | logfmt | latency < 300us"#),
        (#"{app="api"} | logfmt | size < 20MB"#, #"{app="api"} | logfmt | size < 20000000B"#),
        (#"{app="api"} | logfmt | size <= 1KiB"#, #"{app="api"} | logfmt | size <= 1024B"#),
        (#"{app="api"} | logfmt | size > 3.5kB"#, #"{app="api"} | logfmt | size > 3500B"#),
        (#"{app="api"} | logfmt | delta > -5"#, #"{app="api"} | logfmt | delta > -5"#),
        (#"{app="api"} | logfmt | a="x" and b="y" or c="z""#, #"{app="api"} | logfmt | a="x" and b="y" or c="z""#),
        (#"{app="api"} | logfmt | a="x", b="y""#, #"{app="api"} | logfmt | a="x" and b="y""#),
        (#"{app="api"} | logfmt | a="x" b="y""#, #"{app="api"} | logfmt | a="x" and b="y""#),
        (#"{app="api"} | logfmt | (a="x" or b="y") and c="z""#, #"{app="api"} | logfmt | (a="x" or b="y") and c="z""#),
        (#"{app="api"} | logfmt | a="x" or (b="y" or c="z")"#, #"{app="api"} | logfmt | a="x" or (b="y" or c="z")"#),
        (#"{app="api"} | json | json="x""#, #"{app="api"} | json | json="x""#),
        // Metric queries.
        (#"count_over_time({app="x"}[5m])"#, #"count_over_time({app="x"} [5m])"#),
        (#"count_over_time({app="x"} | json [5m])"#, #"count_over_time({app="x"} | json [5m])"#),
        (#"count_over_time({app="x"}[5m] | json)"#, #"count_over_time({app="x"} | json [5m])"#),
        (#"count_over_time({app="x"}[5m] offset 1h | json)"#, #"count_over_time({app="x"} | json [5m] offset 1h)"#),
        (#"rate({app="x"} |= "e" [1m] offset 1h)"#, #"rate({app="x"} |= "e" [1m] offset 1h)"#),
        (#"count_over_time(({app="x"} |= "y")[5m])"#, #"count_over_time({app="x"} |= "y" [5m])"#),
        (#"count_over_time(({app="x"})[5m])"#, #"count_over_time({app="x"} [5m])"#),
        (#"bytes_over_time({app="x"}[5m])"#, #"bytes_over_time({app="x"} [5m])"#),
        (#"bytes_rate({app="x"}[5m])"#, #"bytes_rate({app="x"} [5m])"#),
        (#"absent_over_time({app="x"}[5m])"#, #"absent_over_time({app="x"} [5m])"#),
        (#"sum_over_time({app="x"} | logfmt | unwrap bytes(size) | __error__="" [1m])"#,
         #"sum_over_time({app="x"} | logfmt | unwrap bytes(size) | __error__="" [1m])"#),
        (#"avg_over_time({a="b"} | unwrap latency [5m]) by (host)"#, #"avg_over_time({a="b"} | unwrap latency [5m]) by (host)"#),
        (#"max_over_time({a="b"} | json | unwrap duration_seconds(t) [5m]) without (pod)"#,
         #"max_over_time({a="b"} | json | unwrap duration_seconds(t) [5m]) without (pod)"#),
        (#"quantile_over_time(0.99, {a="b"} | json | unwrap duration(latency) [5m]) by (host)"#,
         #"quantile_over_time(0.99, {a="b"} | json | unwrap duration(latency) [5m]) by (host)"#),
        (#"rate({a="b"} | unwrap x [5m])"#, #"rate({a="b"} | unwrap x [5m])"#),
        (#"first_over_time({a="b"} | unwrap x | x > 1 | y="z" [5m])"#, #"first_over_time({a="b"} | unwrap x | x > 1 | y="z" [5m])"#),
        (#"sum by (level) (count_over_time({app="api"} | json [5m]))"#, #"sum by (level) (count_over_time({app="api"} | json [5m]))"#),
        (#"topk(3, sum by (x) (rate({a="b"}[1m])))"#, #"topk(3, sum by (x) (rate({a="b"} [1m])))"#),
        (#"sum(count_over_time({a="b"}[5m])) > 10"#, #"sum(count_over_time({a="b"} [5m])) > 10"#),
        (#"label_replace(rate({a="b"}[1m]), "x", "$1", "a", "(.*)")"#, #"label_replace(rate({a="b"} [1m]), "x", "$1", "a", "(.*)")"#),
        ("vector(1)+vector(1)", "vector(1) + vector(1)"),
        (#"sum by (app) (count_over_time({app=~".+"} |= "error" [1h]))"#, #"sum by (app) (count_over_time({app=~".+"} |= "error" [1h]))"#),
        (#"count_over_time({a="b"}[5m]) or vector(0)"#, #"count_over_time({a="b"} [5m]) or vector(0)"#),
        (#"rate(http_requests_total[5m])"#, #"rate(http_requests_total[5m])"#),
        (#"{__name__="up"}"#, #"{__name__="up"}"#),
        (#"({app="x"})"#, #"{app="x"}"#),
    ])
    func parsesAndPrintsCanonically(text: String, canonical: String) throws {
        let parsed = try Self.parse(text)
        #expect(parsed.description == canonical)
        let reparsed = try Self.parse(parsed.description)
        #expect(QueryTreeComparison.same(reparsed, parsed), "\(canonical) reads back as \(reparsed)")
    }

    @Test func aNamelessBraceSelectorDependsOnTheLanguage() throws {
        #expect(try Self.parse(#"{job="x"}"#, .promql).type == .vector)
        #expect(try Self.parse(#"{job="x"}"#, .logql).type == .logs)
        #expect(try Self.parse(#"{job="x"}"#, .auto).type == .logs)
        #expect(try Self.parse(#"{__name__="up", job="x"}"#, .logql).type == .vector)
        guard case .call("count_over_time", let arguments) = try Self.parse(#"count_over_time({app="x"}[5m])"#, .promql) else {
            Issue.record("PromQL reads count_over_time as a function call")
            return
        }
        #expect(arguments.first?.type == .matrix)
        guard case .logRange(let range) = try Self.parse(#"count_over_time({app="x"}[5m])"#, .auto) else {
            Issue.record("auto reads count_over_time over a stream selector as a LogQL range aggregation")
            return
        }
        #expect(range.function == .countOverTime && range.range == 300_000_000_000)
        // Loki compares scalars to 0 or 1 without `bool`; Prometheus (and `.auto`) refuse.
        #expect(try Self.parse("1 > 2 == 0", .logql).description == "1 > bool 2 == bool 0")
        #expect(throws: QueryError.self) { try Self.parse("1 > 2", .auto) }
        #expect(try Self.parse("vector(1)+vector(1)") == .binary(BinaryExpr(op: .add, lhs: .call(function: "vector", arguments: [.number(1)]),
                                                                            rhs: .call(function: "vector", arguments: [.number(1)]))))
    }

    @Test func treesHoldWhatWasWritten() throws {
        guard case .logRange(let range) = try Self.parse(
            #"quantile_over_time(0.99, {app="api"} |= "GET" | json | status >= 500 and latency > 250ms | unwrap duration(latency) | __error__="" [5m] offset 1m) by (host)"#)
        else {
            Issue.record("not a range aggregation")
            return
        }
        #expect(range.function == .quantileOverTime && range.parameter == 0.99)
        #expect(range.range == 300_000_000_000 && range.offset == 60_000_000_000)
        #expect(range.grouping == ["host"] && !range.without)
        #expect(range.unwrap?.label == "latency" && range.unwrap?.conversion == .duration)
        #expect(range.unwrap?.filters.map(\.description) == [#"__error__="""#])
        #expect(range.selector.matchers.map(\.description) == [#"app="api""#])
        guard range.selector.stages.count == 3, case .lineFilter(let filter) = range.selector.stages[0], case .json(let fields) = range.selector.stages[1],
              case .labelFilter(.and(.number("status", .greaterOrEqual, 500), .duration("latency", .greater, 250_000_000))) = range.selector.stages[2]
        else {
            Issue.record("stages: \(range.selector.stages)")
            return
        }
        #expect(filter.op == .contains && filter.value == "GET" && fields.isEmpty)
        #expect(filter.matches("GET /index"))

        guard case .logs(let logs) = try Self.parse(#"{a="b"} | size > 1.5KiB | level=~"warn|error" | x != 2"#),
              logs.stages.count == 3, case .labelFilter(.bytes("size", .greater, 1536)) = logs.stages[0],
              case .labelFilter(.matcher(let level)) = logs.stages[1], case .labelFilter(.number("x", .notEqual, 2)) = logs.stages[2]
        else {
            Issue.record("label filters")
            return
        }
        let error = try Labels(["level": "error"])
        let errors = try Labels(["level": "errors"])
        #expect(level.matches(error) && !level.matches(errors))
        guard case .logs(let flags) = try Self.parse(#"{a="b"} | logfmt --strict"#), case .logfmt(let options) = flags.stages.first else {
            Issue.record("logfmt flags")
            return
        }
        #expect(options.strict && !options.keepEmpty && options.extractions.isEmpty)
    }

    /// (query, position, words the message must contain).
    @Test(arguments: [
        ("{}", 0, "queries require at least one regexp or equality matcher that does not have an empty-compatible value"),
        (#"{a=""}"#, 0, "empty-compatible"),
        (#"{a=~".*", b!="x"}"#, 0, "empty-compatible"),
        (#"{a="b"} |= 5"#, 11, "a quoted string after |="),
        (#"{a="b"}[5m]"#, 7, "only allowed inside a range aggregation"),
        (#"sum_over_time({a="b"}[5m])"#, 0, "invalid aggregation sum_over_time without unwrap"),
        (#"count_over_time({a="b"} | unwrap x [5m])"#, 0, "invalid aggregation count_over_time with unwrap"),
        (#"quantile_over_time({a="b"} | unwrap x [5m])"#, 0, "parameter required for operation quantile_over_time"),
        (#"rate(0.5, {a="b"}[5m])"#, 0, "parameter 0.5 not supported for operation rate"),
        (#"count_over_time({a="b"}[5m]) by (x)"#, 0, "grouping not allowed for count_over_time aggregation"),
        (#"sum_over_time({a="b"} | unwrap x [5m]) by (x)"#, 0, "grouping not allowed for sum_over_time aggregation"),
        (#"{a="b"} | unwrap x"#, 8, "| unwrap is only allowed inside a range aggregation"),
        (#"count_over_time({a="b"} | json)"#, 30, "a range such as [5m]"),
        (#"count_over_time({a="b"}[5m] [1m])"#, 28, "the range is already given"),
        (#"count_over_time({a="b"} | json [5m] | logfmt)"#, 36, "\")\" after the range"),
        (#"{a="b"} | logfmt --bogus"#, 17, "a logfmt flag"),
        (#"{a="b"} | size > 5XB"#, 17, "a number, a duration"),
        (#"{a="b"} | size > "x""#, 17, "a number, a duration"),
        (#"{a="b"} | level =~ 5"#, 16, "a quoted regular expression"),
        (#"{a="b"} |= "a" or "b""#, 15, "\"or\" between line filter values is not supported"),
        (#"{a="b"} |> "<_> x""#, 8, "pattern line filters"),
        (#"{a="b"} | regexp "(""#, 17, "a valid regular expression"),
        (#"{a="b"} | level > ip("1.2.3.4")"#, 18, "ip(…) label filters are not supported"),
        (#"{a="b"} | json 5"#, 15, "a pipeline stage"),
        (#"{a="b"} | 5"#, 10, "a label filter"),
        (#"{a="b"} | label_format a"#, 24, "\"=\" after a in label_format"),
        (#"{"a"="b"}"#, 1, "a label name (letters, digits and _)"),
        (#"sum({a="b"})"#, 4, "expected type instant vector in aggregation expression, got log stream"),
        (#"{a="b"} + 1"#, 0, "binary expression must contain only scalar and instant vector types"),
        (#"rate({a="b"} | unwrap bytes(x [5m])"#, 30, "\")\" after the label name in bytes(…)"),
        (#"{a="b"} | latency > 99999999h"#, 20, "at most 200y"),
    ])
    func reportsPositionAndCause(text: String, position: Int, words: String) throws {
        do {
            let parsed = try Self.parse(text)
            Issue.record("\(text) parsed as \(parsed)")
        } catch {
            #expect(error.position == position, "\(text): \(error)")
            #expect(error.description.contains(words), "\(text): \(error)")
        }
    }
}
