import Testing
import TributaryQuery

/// Times and durations that do not fit in Int64 nanoseconds are refused
/// with the reason, never trapped on (the node used to die with SIGILL).
@Suite struct QueryOverflowTests {
    static let now: Int64 = 1_795_327_200_000_000_000

    @Test(arguments: ["0001-01-01T00:00:00Z", "1677-09-21T00:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                      "9999-12-31T23:59:59+01:00", "0000-01-01T00:00:00Z"])
    func timesOutsideTheRepresentableYearsAreRefused(text: String) {
        do {
            _ = try QueryTime.parse(text, now: Self.now)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.expected.contains("1678 and 2262"), "\(error)")
        }
        #expect(QueryTime.parseRFC3339(text) == nil)
    }

    @Test func theEdgesOfTheRangeStillParse() throws {
        #expect(try QueryTime.parse("1678-01-01T00:00:00Z", now: Self.now) < -9_000_000_000_000_000_000)
        #expect(try QueryTime.parse("2262-04-11T00:00:00Z", now: Self.now) > 9_000_000_000_000_000_000)
    }

    @Test(arguments: ["1e300", "-9.3e9", "inf", "-inf", "nan"])
    func unixSecondsOutsideTheRangeAreRefused(text: String) {
        #expect(throws: QueryError.self) { try QueryTime.parse(text, now: Self.now) }
    }

    @Test func aDurationReachingBefore1678IsRefused() {
        // 200y before an early `now` leaves Int64.
        #expect(throws: QueryError.self) { try QueryTime.parse("200y", now: Int64.min + 1_000) }
        #expect(throws: QueryError.self) { try QueryTime.parse("99999999999999w", now: Self.now) }
    }

    @Test(arguments: ["rate(x[99999999999999w])", "rate(x[9223372036854775807ms])", "rate(x[201y])", "rate(x[300000000000000000000d])",
                      "sum(rate(x[106751991167d]))", "max_over_time(x[1000000000000000000s])"])
    func hugeRangesInQueriesAreParseErrors(text: String) {
        do throws(QueryError) {
            _ = try QueryExpr.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.expected.contains("at most 200y"), "\(error)")
            #expect(error.position == text.firstIndex(of: "[").map { text.distance(from: text.startIndex, to: $0) + 1 })
        }
    }

    @Test func rangesUpTo200YearsParse() throws {
        _ = try QueryExpr.parse("rate(x[200y])")
        _ = try QueryExpr.parse("rate(x[1y2w3d])")
    }

    /// The evaluator's own guards: spans that overflow Int64 and steps
    /// giving more than 11,000 points are refused, not trapped on.
    @Test func theEvaluatorRefusesRangesItCannotStep() throws {
        let expr = try QueryExpr.parse("rate(x[200y])")
        let source = EmptyQuerySource()
        #expect(throws: MetricEvaluationError.self) {
            _ = try QueryEngine().range(expr, steps: QuerySteps(start: .min, end: .max, step: 1), source: source)
        }
        let result = try QueryEngine().range(expr, steps: QuerySteps(start: .min, end: .min + 10, step: 1), source: source)
        #expect(result == .matrix([]))
    }
}

/// No data at all: the evaluator's own guards are what is tested.
struct EmptyQuerySource: QuerySource {
    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] { [] }
    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] { [] }
}
