import Testing
import TributaryQuery

/// Inputs `Fuzz/fuzz-query` found that trapped; each must now be a
/// `QueryError` with a position.
@Suite struct QueryFuzzFindingsTests {
    @Test func aDurationTooLongForSixtyFourBitsIsAnErrorNotATrap() {
        for text in ["888888888888888dddddddddddd88888888888888888888888888888888888888\n",
                     "rate(x[9223372036854775807ms1ms])", "rate(x[106751991167w])", "count_over_time({a=\"b\"}[99999999999999d])"] {
            #expect(throws: QueryError.self, "\(text)") { try QueryExpr.parse(text) }
        }
        #expect((try? QueryExpr.parse("rate(x[1h30m])")) != nil, "durations that fit still parse")
    }

    @Test func aTimeOutsideTheYears1678To2262IsAnErrorNotATrap() {
        for text in ["2826-02-22T07:00:00Z", "1013-12-01T10:00:00Z", "9999-12-31T23:59:59.999999999-23:59", "2262-04-11T23:47:17Z"] {
            #expect(QueryTime.parseRFC3339(text) == nil, "\(text)")
            #expect(throws: QueryError.self, "\(text)") { try QueryTime.parse(text, now: 1_700_000_000_000_000_000) }
        }
        #expect(QueryTime.parseRFC3339("2262-04-11T23:47:16Z") == 9_223_372_036_000_000_000, "the last second that fits")
        #expect(QueryTime.parseRFC3339("1678-01-01T00:00:00Z") != nil)
    }
}
