import Testing
import TributaryModel
import TributaryQuery

@Suite struct QueryParserTests {
    static func logs(_ text: String) throws -> LogQuery {
        guard case .logs(let query) = try Query.parse(text) else { throw QueryError(position: 0, expected: "logs", found: "metrics") }
        return query
    }

    @Test func parsesTheIssuesExample() throws {
        let query = try Self.logs(#"{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d""#)
        #expect(query.selector.map(\.description) == [#"app="nginx""#, #"host=~"web-.*""#])
        #expect(query.filters.map(\.description) == [#"|= "timeout""#, #"!= "healthz""#, #"|~ "5\\d\\d""#])
        #expect(query.description == #"{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d""#)

        let labels = try Labels(["app": "nginx", "host": "web-12"])
        #expect(query.matches(labels: labels))
        #expect(!query.matches(labels: try Labels(["app": "nginx", "host": "db-1"])), "regex matchers are anchored")
        #expect(query.matches(line: "upstream timeout, status 504"))
        #expect(!query.matches(line: "upstream timeout, status 404"))
        #expect(!query.matches(line: "healthz timeout 503"))
        #expect(!query.matches(line: "status 500 without the word"))
    }

    @Test func matcherSemanticsFollowPrometheus() throws {
        let query = try Self.logs(#"{env!="prod", zone!~"eu-.*", missing=""}"#)
        #expect(query.matches(labels: try Labels(["env": "staging", "zone": "us-1"])))
        #expect(!query.matches(labels: try Labels(["env": "prod"])))
        #expect(!query.matches(labels: try Labels(["zone": "eu-west"])))
        #expect(!query.matches(labels: try Labels(["missing": "x"])), "an absent label equals \"\"")
    }

    @Test func stringsTakeEscapesAndRawForm() throws {
        let query = try Self.logs("{app=\"a\"} |= \"say \\\"hi\\\"\\n\" |~ `\\d+ms`")
        #expect(query.filters[0].value == "say \"hi\"\n")
        #expect(query.filters[1].value == "\\d+ms")
        #expect(query.matches(line: "say \"hi\"\n took 15ms"))
    }

    @Test func parsesThePromQLSubset() throws {
        #expect(try Query.parse("up") == .metrics(.selector(metric: "up", matchers: [])))
        guard case .metrics(.aggregate(.sum, let by, .range(.rate, let metric, let matchers, let range))) =
            try Query.parse(#"sum by (host, code) (rate(http_requests_total{code=~"5.."}[5m]))"#)
        else {
            Issue.record("wrong shape")
            return
        }
        #expect(by == ["host", "code"])
        #expect(metric == "http_requests_total")
        #expect(matchers.map(\.description) == [#"code=~"5..""#])
        #expect(range == 300_000)
        guard case .metrics(.aggregate(.avg, let trailing, .range(.avgOverTime, _, _, let window))) =
            try Query.parse("avg(avg_over_time(cpu_seconds{cpu=\"0\"}[1h30m])) by (host)")
        else {
            Issue.record("trailing by not parsed")
            return
        }
        #expect(trailing == ["host"])
        #expect(window == 5_400_000)
        for function in MetricQuery.RangeFunction.allCases {
            #expect(throws: Never.self) { try Query.parse("\(function.rawValue)(x[1m])") }
        }
    }

    @Test(arguments: [
        (#"{app="nginx""#, 12, "\",\" or \"}\" after a label matcher", "the end of the query"),
        (#"{app=="nginx"}"#, 5, "a quoted label value", "\"=\""),
        (#"{app~"x"}"#, 4, "a matcher operator (=, !=, =~, !~)", "\"~\""),
        (#"{}"#, 1, "at least one label matcher, e.g. {app=\"nginx\"}", "an empty selector"),
        (#"{app="a"} |= timeout"#, 13, "a quoted string after |=", "\"timeout\""),
        (#"{app="a"} |= "unterminated"#, 13, "a closing \" for the string started here", "the end of the query"),
        (#"rate(x[5])"#, 7, "a duration such as 30s, 5m or 1h", "the number 5.0"),
        (#"rate(x[5m]"#, 10, "\")\" to close rate(…)", "the end of the query"),
        (#"sum(up) extra"#, 8, "the end of the query", "\"extra\""),
        (#"{app="a"} |~ "(unclosed""#, 13, "a valid regular expression", ""),
    ])
    func malformedQueriesSayWhereAndWhatWasExpected(text: String, position: Int, expected: String, found: String) {
        do {
            _ = try Query.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.position == position, "\(text): \(error)")
            #expect(error.expected == expected, "\(text): \(error)")
            if !found.isEmpty { #expect(error.found == found, "\(text): \(error)") }
            #expect(error.description.hasPrefix("position \(position): expected "))
        }
    }
}

extension QueryParserTests {
    @Test(arguments: [
        #"{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d""#,
        #"{path="C:\\logs\\a \"b\""} !~ "x|y""#,
        #"{a!="", b!~".+"}"#,
    ])
    func aPrintedQueryParsesBackToTheSameQuery(text: String) throws {
        let query = try Self.logs(text)
        #expect(try Self.logs(query.description) == query)
    }
}
