import Testing
import TributaryModel
import TributaryQuery

@Suite struct MetricEvaluatorTests {
    static let second: Int64 = 1_000_000_000
    /// A present-day base time (2023-11-14), so the tests would notice
    /// timestamp differences taken in Double precision.
    static let t0: Int64 = 1_700_000_000 * second

    /// A stored series: `name{labels}` with (seconds after t0, value) points.
    static func series(_ name: String, _ labels: [String: String], _ points: [(Int64, Double)]) throws -> MetricSeries {
        var all = labels
        all["__name__"] = name
        return MetricSeries(labels: try Labels(all), timestamps: points.map { t0 + $0.0 * second }, values: points.map(\.1))
    }

    /// In-memory storage: filters by name, matchers and [from, to] like the
    /// real store, and records each request.
    final class Store {
        let series: [MetricSeries]
        var requests: [(name: String, from: Int64, to: Int64)] = []

        init(_ series: [MetricSeries]) { self.series = series }

        func fetch(_ name: String, _ matchers: [LabelMatcher], _ from: Int64, _ to: Int64) -> [MetricSeries] {
            requests.append((name, from, to))
            return series.compactMap { stored in
                guard stored.labels["__name__"] == name, matchers.allSatisfy({ $0.matches(stored.labels) }) else { return nil }
                let kept = stored.timestamps.indices.filter { stored.timestamps[$0] >= from && stored.timestamps[$0] <= to }
                return MetricSeries(labels: stored.labels, timestamps: kept.map { stored.timestamps[$0] }, values: kept.map { stored.values[$0] })
            }
        }
    }

    static func metric(_ text: String) throws -> MetricQuery {
        guard case .metrics(let query) = try Query.parse(text) else { throw QueryError(position: 0, expected: "metrics", found: "logs") }
        return query
    }

    /// Evaluates from t0 + start to t0 + end every `step` (all in seconds).
    static func run(
        _ text: String, _ store: Store, start: Int64, end: Int64, step: Int64,
        evaluator: MetricEvaluator = MetricEvaluator()
    ) throws -> [MetricSeries] {
        try evaluator.evaluate(try metric(text), start: t0 + start * second, end: t0 + end * second, step: step * second, fetch: store.fetch)
    }

    /// Seconds after t0 of each point.
    static func offsets(_ series: MetricSeries) -> [Int64] {
        series.timestamps.map { ($0 - t0) / second }
    }

    static func close(_ actual: [Double], _ expected: [Double]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
    }

    /// A counter scraped every 15 s from t0 - 600 s to t0 + 600 s, rising
    /// by `slope` per scrape from 1000.
    static func steadyCounter(_ host: String, slope: Double) throws -> MetricSeries {
        try series("requests_total", ["host": host], (-40...40).map { (Int64($0) * 15, 1000 + slope * Double($0 + 40)) })
    }

    // MARK: Selectors

    @Test func selectorTakesTheLatestSampleWithinTheLookback() throws {
        // Stored out of order, so the test sees the evaluator sort.
        let store = Store([
            try Self.series("up", ["host": "c"], [(790, 5)]),
            try Self.series("up", ["host": "b"], [(-1000, 7)]),
            try Self.series("up", ["host": "a"], [(0, 1), (10, 2), (400, 3)]),
            try Self.series("down", ["host": "a"], [(0, 9)]),
        ])
        let result = try Self.run(#"up{host=~"a|b|c"}"#, store, start: 0, end: 800, step: 50)

        // b's only sample is long before the range, so it has no points and is dropped.
        #expect(result.map(\.labels) == [try Labels(["__name__": "up", "host": "a"]), try Labels(["__name__": "up", "host": "c"])])
        // 350: (50, 350] is empty, a gap. 700: 400 is not in (400, 700], the window is open on the left.
        #expect(Self.offsets(result[0]) == [0, 50, 100, 150, 200, 250, 300, 400, 450, 500, 550, 600, 650])
        #expect(result[0].values == [1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3])
        #expect(Self.offsets(result[1]) == [800])
        #expect(result[1].values == [5])
        #expect(store.requests.count == 1)
        #expect(store.requests.first?.name == "up")
        #expect(store.requests.first?.from == Self.t0 - 300 * Self.second)
        #expect(store.requests.first?.to == Self.t0 + 800 * Self.second)
    }

    @Test func selectorLookbackIsConfigurable() throws {
        let store = Store([try Self.series("up", [:], [(0, 1), (100, 2)])])
        let result = try Self.run("up", store, start: 0, end: 150, step: 30, evaluator: MetricEvaluator(lookback: 60 * Self.second))
        // 0 → 1, 30 → 1, 60: 0 is not in (0, 60], 90: none, 120 → 2, 150 → 2.
        #expect(result.count == 1)
        #expect(Self.offsets(result[0]) == [0, 30, 120, 150])
        #expect(result[0].values == [1, 1, 2, 2])
    }

    // MARK: rate and increase

    @Test func rateOfASteadyCounter() throws {
        let store = Store([try Self.steadyCounter("a", slope: 10)])
        let result = try Self.run("rate(requests_total[1m])", store, start: 0, end: 60, step: 30)
        // Window (t-60, t] holds 4 samples 15 s apart rising by 30 over 45 s; the first
        // is 15 s < 1.1 × 15 s from the window start, so it extrapolates to all 60 s:
        // 30 × 60/45 = 40 per minute, 10/15 per second.
        #expect(result.count == 1)
        #expect(result[0].labels == (try Labels(["host": "a"])), "functions drop __name__")
        #expect(Self.offsets(result[0]) == [0, 30, 60])
        #expect(Self.close(result[0].values, [10.0 / 15, 10.0 / 15, 10.0 / 15]))
        #expect(store.requests.first?.from == Self.t0 - 60 * Self.second)

        let increase = try Self.run("increase(requests_total[1m])", store, start: 0, end: 0, step: 1)
        #expect(Self.close(increase.first?.values ?? [], [40]))
    }

    @Test func rateHandlesACounterReset() throws {
        let store = Store([try Self.series("requests_total", [:], [(0, 10), (15, 20), (30, 5), (45, 16)])])
        // At 45 the window (-15, 45] holds all four. Increase 16 - 10 = 6, plus 20 lost
        // at the reset = 26. Start gap 15 s < 16.5 s and the zero point (45 × 10/26 ≈ 17 s
        // back) is further, end gap 0: extrapolate 45 s → 60 s: 26 × 60/45.
        let rate = try Self.run("rate(requests_total[1m])", store, start: 45, end: 45, step: 1)
        #expect(Self.close(rate.first?.values ?? [], [26.0 / 45]))
        let increase = try Self.run("increase(requests_total[1m])", store, start: 45, end: 45, step: 1)
        #expect(Self.close(increase.first?.values ?? [], [26.0 * 60 / 45]))
    }

    @Test func increaseStopsExtrapolatingAtTheCountersZero() throws {
        // A counter born at 0: 0, 10, 20, 30 at 0, 15, 30, 45 s, read at 50 s over [1m].
        // Start gap 10 s would extrapolate, but the counter was 0 at the first sample,
        // so the start stays there; end gap 5 s extends: 30 × (45 + 0 + 5)/45.
        let store = Store([try Self.series("requests_total", [:], [(0, 0), (15, 10), (30, 20), (45, 30)])])
        let result = try Self.run("increase(requests_total[1m])", store, start: 50, end: 50, step: 1)
        #expect(Self.close(result.first?.values ?? [], [30.0 * 50 / 45]))
    }

    @Test func increaseExtrapolatesHalfAnIntervalPastADistantEdge() throws {
        // 5, 6, 7 at 0, 10, 20 s, read at 50 s over [1m]: start gap 10 s < 11 s reaches
        // the window start; end gap 30 s ≥ 11 s, so only half an interval (5 s) is added:
        // 2 × (20 + 10 + 5)/20 = 3.5.
        let store = Store([try Self.series("requests_total", [:], [(0, 5), (10, 6), (20, 7)])])
        let increase = try Self.run("increase(requests_total[1m])", store, start: 50, end: 50, step: 1)
        #expect(Self.close(increase.first?.values ?? [], [3.5]))
        let rate = try Self.run("rate(requests_total[1m])", store, start: 50, end: 50, step: 1)
        #expect(Self.close(rate.first?.values ?? [], [3.5 / 60]))
    }

    @Test func rateNeedsTwoSamplesInTheWindow() throws {
        let store = Store([try Self.steadyCounter("a", slope: 10)])
        // Samples are 15 s apart, so a 10 s window holds at most one.
        #expect(try Self.run("rate(requests_total[10s])", store, start: 0, end: 60, step: 5).isEmpty)
        #expect(try Self.run("increase(requests_total[10s])", store, start: 0, end: 60, step: 5).isEmpty)
    }

    // MARK: _over_time

    @Test func overTimeFunctions() throws {
        let store = Store([try Self.series("temperature", ["host": "a"], [(0, 3), (10, 1), (20, 4), (30, 1), (40, 5), (50, 9)])])
        // Windows (t-30, t]: 0 → [3], 25 → [3, 1, 4], 50 → [1, 5, 9], 75 → [9], 100 → none.
        let expected: [(String, [Double])] = [
            ("avg_over_time", [3, 8.0 / 3, 5, 9]),
            ("min_over_time", [3, 1, 1, 9]),
            ("max_over_time", [3, 4, 9, 9]),
            ("sum_over_time", [3, 8, 15, 9]),
            ("count_over_time", [1, 3, 3, 1]),
        ]
        for (function, values) in expected {
            let result = try Self.run("\(function)(temperature[30s])", store, start: 0, end: 100, step: 25)
            #expect(result.count == 1, "\(function)")
            #expect(result.first?.labels == (try Labels(["host": "a"])), "\(function)")
            #expect(result.first.map(Self.offsets) == [0, 25, 50, 75], "\(function)")
            #expect(Self.close(result.first?.values ?? [], values), "\(function): \(result.first?.values ?? [])")
        }
    }

    // MARK: Aggregations

    /// With a 30 s lookback, at 0 and 60 s only the samples taken then count:
    /// a/200 (0: 1), a/500 (0: 2, 60: 20), b/200 (0: 4, 60: 40), b/500 (60: 8).
    /// Stored in reverse order, so groups are first seen out of order.
    static func requests() throws -> Store {
        Store([
            try series("http_requests", ["host": "b", "code": "500"], [(60, 8)]),
            try series("http_requests", ["host": "b", "code": "200"], [(0, 4), (60, 40)]),
            try series("http_requests", ["host": "a", "code": "500"], [(0, 2), (60, 20)]),
            try series("http_requests", ["host": "a", "code": "200"], [(0, 1)]),
        ])
    }

    static func aggregate(_ text: String) throws -> [MetricSeries] {
        try run(text, requests(), start: 0, end: 60, step: 60, evaluator: MetricEvaluator(lookback: 30 * second))
    }

    @Test func aggregationsByLabel() throws {
        let byHost = [try Labels(["host": "a"]), try Labels(["host": "b"])]
        let expected: [(String, [[Double]])] = [
            ("sum", [[3, 20], [4, 48]]),
            ("avg", [[1.5, 20], [4, 24]]),
            ("min", [[1, 20], [4, 8]]),
            ("max", [[2, 20], [4, 40]]),
            ("count", [[2, 1], [1, 2]]),
        ]
        for (aggregation, values) in expected {
            let result = try Self.aggregate("\(aggregation) by (host) (http_requests)")
            #expect(result.map(\.labels) == byHost, "\(aggregation)")
            #expect(result.map(Self.offsets) == [[0, 60], [0, 60]], "\(aggregation)")
            #expect(result.map(\.values) == values, "\(aggregation)")
        }
        // Grouping by every label: a group has no point at a step where none of its series has one.
        let each = try Self.aggregate("sum by (host, code) (http_requests)")
        #expect(each.map(\.labels.description) == [#"{code="200", host="a"}"#, #"{code="200", host="b"}"#, #"{code="500", host="a"}"#, #"{code="500", host="b"}"#])
        #expect(each.map(Self.offsets) == [[0], [0, 60], [0, 60], [60]])
        #expect(each.map(\.values) == [[1], [4, 40], [2, 20], [8]])
        // The trailing form groups the same way.
        #expect(try Self.aggregate("sum(http_requests) by (code)").map(\.values) == [[5, 40], [2, 28]])
        #expect(try Self.aggregate("sum(http_requests) by (code)").map(\.labels) == [try Labels(["code": "200"]), try Labels(["code": "500"])])
    }

    @Test func aggregationWithoutGroupingLabels() throws {
        for text in ["sum(http_requests)", "sum by () (http_requests)"] {
            let result = try Self.aggregate(text)
            #expect(result.map(\.labels) == [Labels.empty], "\(text)")
            #expect(result.first?.values == [7, 68], "\(text)")
        }
        #expect(try Self.aggregate("count(http_requests)").first?.values == [3, 3])
        #expect(try Self.aggregate("max by () (http_requests)").first?.values == [4, 40])
    }

    @Test func aggregationOverARangeFunction() throws {
        let store = Store([try Self.steadyCounter("a", slope: 10), try Self.steadyCounter("b", slope: 20), try Self.steadyCounter("c", slope: 30)])
        // increase over [1m] is 4 scrapes' worth: 40, 80 and 120.
        let total = try Self.run("sum(increase(requests_total[1m]))", store, start: 0, end: 0, step: 1)
        #expect(Self.close(total.first?.values ?? [], [240]))
        let onlyAB = try Self.run(#"sum by (host) (rate(requests_total{host!="c"}[1m]))"#, store, start: 0, end: 0, step: 1)
        #expect(onlyAB.map(\.labels) == [try Labels(["host": "a"]), try Labels(["host": "b"])])
        #expect(Self.close(onlyAB.map { $0.values[0] }, [10.0 / 15, 20.0 / 15]))
    }

    // MARK: Errors

    @Test func rejectsBadTimeParameters() throws {
        let store = Store([try Self.series("up", [:], [(0, 1)])])
        let query = try Self.metric("up")
        let evaluator = MetricEvaluator()
        #expect(throws: MetricEvaluationError.nonPositiveStep(0)) {
            try evaluator.evaluate(query, start: 0, end: 10, step: 0, fetch: store.fetch)
        }
        #expect(throws: MetricEvaluationError.nonPositiveStep(-5)) {
            try evaluator.evaluate(query, start: 0, end: 10, step: -5, fetch: store.fetch)
        }
        #expect(throws: MetricEvaluationError.endBeforeStart(start: 10, end: 9)) {
            try evaluator.evaluate(query, start: 10, end: 9, step: 1, fetch: store.fetch)
        }
        // 0 … 10_999 s every second is exactly 11_000 points: allowed; one more is not.
        _ = try evaluator.evaluate(query, start: 0, end: 10_999 * Self.second, step: Self.second, fetch: store.fetch)
        let tooMany = MetricEvaluationError.tooManyPoints(start: 0, end: 11_000 * Self.second, step: Self.second, limit: 11_000)
        #expect(throws: tooMany) {
            try evaluator.evaluate(query, start: 0, end: 11_000 * Self.second, step: Self.second, fetch: store.fetch)
        }
        #expect(throws: MetricEvaluationError.tooManyPoints(start: .min, end: .max, step: 1, limit: 11_000)) {
            try evaluator.evaluate(query, start: .min, end: .max, step: 1, fetch: store.fetch)
        }
        #expect(store.requests.count == 1, "nothing is fetched for a rejected query")
    }

    @Test func errorMessagesSayWhatToChange() {
        #expect(MetricEvaluationError.nonPositiveStep(0).description == "the query step must be greater than zero, got 0ns; use a step such as 15s")
        #expect(MetricEvaluationError.endBeforeStart(start: 10, end: 9).description.contains("swap start and end"))
        // 11_001 points; 11_000 s / 10_999 steps ≈ 1.0001 s, rounded up to 2 s.
        let message = MetricEvaluationError.tooManyPoints(start: 0, end: 11_000 * Self.second, step: Self.second, limit: 11_000).description
        #expect(message == "the query would return 11001 points per series (every 1s from 0 ns to 11000000000000 ns), more than the limit of 11000; use a step of at least 2s or choose a shorter time range")
        // 60 s every 1 ms against a limit of 1000: 60 s / 999 ≈ 60.06 ms, rounded up to 61 ms.
        let span = MetricEvaluationError.tooManyPoints(start: 0, end: 60 * Self.second, step: 1_000_000, limit: 1_000).description
        #expect(span.contains("60001 points"), "\(span)")
        #expect(span.contains("at least 61ms"), "\(span)")
    }

    @Test func fetchErrorsPropagate() throws {
        struct Unavailable: Error {}
        let query = try Self.metric("sum(rate(up[1m]))")
        #expect(throws: Unavailable.self) {
            try MetricEvaluator().evaluate(query, start: 0, end: 0, step: 1) { _, _, _, _ in throw Unavailable() }
        }
    }
}
