import Testing
@testable import TributaryNode

/// Loki's parameter conventions (Loki's `parseTimestamp` and
/// `parseSecondsOrDuration`), repeated names, and endpoint paths with a
/// `{name}` segment.
@Suite struct LokiParametersTests {
    static let now: Int64 = 1_764_000_000_000_000_000

    @Test func timesAreNanosecondsSecondsFloatsOrRFC3339() throws {
        #expect(try LokiParameters.time("1700000000123456789", name: "start", now: Self.now) == 1_700_000_000_123_456_789)
        #expect(try LokiParameters.time("1700000000", name: "start", now: Self.now) == 1_700_000_000_000_000_000)
        #expect(try LokiParameters.time("1700000000.5", name: "start", now: Self.now) == 1_700_000_000_500_000_000)
        #expect(try LokiParameters.time("2023-11-14T22:13:20.25Z", name: "start", now: Self.now) == 1_700_000_000_250_000_000)
        #expect(try LokiParameters.time("now", name: "end", now: Self.now) == Self.now)
    }

    @Test func badTimesNameTheParameterAndNeverOverflow() {
        for text in ["yesterday", "9999999999.9e9", "", "1e400"] {
            #expect(throws: QueryRequestError.self) { try LokiParameters.time(text, name: "start", now: Self.now) }
        }
        do {
            // Ten digits are seconds: 9,999,999,999 s is past 2262 in nanoseconds.
            _ = try LokiParameters.time("9999999999", name: "end", now: Self.now)
            Issue.record("seconds beyond Int64 nanoseconds were accepted")
        } catch {
            #expect(error.description.hasPrefix("parameter end"))
        }
    }

    @Test func aQueryRangeRequestReadsGrafanasParameters() throws {
        let form = QueryForm(urlEncoded: "query=%7Bapp%3D%22a%22%7D&start=1764000000000000000&end=1764000060000000000&step=15000ms&direction=BACKWARD&limit=1000")
        let request = try LokiParameters.request(form, instant: false, now: Self.now)
        #expect(request.start == 1_764_000_000_000_000_000 && request.end == 1_764_000_060_000_000_000)
        #expect(request.step == 15_000_000_000 && request.limit == 1000 && request.direction == .backward)
        let since = try LokiParameters.request(QueryForm(urlEncoded: "query=%7Bapp%3D%22a%22%7D&since=5m"), instant: false, now: Self.now)
        #expect(since.end == Self.now && since.start == Self.now - 300_000_000_000)
        let range = try LokiParameters.range(QueryForm(urlEncoded: ""), now: Self.now)
        #expect(range.end - range.start == LokiParameters.defaultMetadataRange)
    }

    @Test func repeatedNamesAreAllKeptInOrder() {
        let form = QueryForm(urlEncoded: "match%5B%5D=a&x=1&match%5B%5D=b")
        #expect(form.all("match[]") == ["a", "b"])
        #expect(form.all("none").isEmpty)
    }

    @Test func endpointPathsMatchOneSegmentPerParameter() {
        #expect(NodeEndpoint.find(method: "GET", path: "/loki/api/v1/label/app/values") == .lokiLabelValues)
        #expect(NodeEndpoint.find(method: "GET", path: "/api/v1/label/__name__/values") == .promLabelValues)
        #expect(NodeEndpoint.find(method: "GET", path: "/loki/api/v1/label//values") == nil)
        #expect(NodeEndpoint.find(method: "GET", path: "/loki/api/v1/label/a/b/values") == nil)
        #expect(NodeEndpoint.find(method: "POST", path: "/api/v1/series") == .promSeriesPost)
        #expect(NodeEndpoint.lokiReady.access == .open && NodeEndpoint.lokiQueryRange.access == .role(.query))
    }
}
