import Testing
import TributaryQuery

/// Inputs `Fuzz/fuzz-query` found that trapped; each must now be a
/// `QueryError` with a position.
@Suite struct QueryFuzzFindingsTests {
    @Test func aDurationTooLongForSixtyFourBitsIsAnErrorNotATrap() {
        for text in ["888888888888888dddddddddddd88888888888888888888888888888888888888\n",
                     "rate(x[9223372036854775807ms1ms])", "rate(x[106751991167w])", "count_over_time({a=\"b\"}[99999999999999d])"] {
            #expect(throws: QueryError.self, "\(text)") { try Query.parse(text) }
        }
        #expect((try? Query.parse("rate(x[1h30m])")) != nil, "durations that fit still parse")
    }
}
