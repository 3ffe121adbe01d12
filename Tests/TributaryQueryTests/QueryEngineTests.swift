import Testing
import TributaryModel
@testable import TributaryQuery

/// Tricky corners of PromQL semantics, on trees built by hand so they do
/// not depend on the parser.
@Suite struct QueryEngineTests {
    static let second: Int64 = 1_000_000_000
    static let minute: Int64 = 60 * second

    /// Series held in memory; the range asked for is honoured.
    struct Store: QuerySource {
        var series: [MetricSeries]

        func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
            series.filter { one in matchers.allSatisfy { $0.matches(one.labels) } }.compactMap { one in
                let kept = one.timestamps.indices.filter { one.timestamps[$0] >= from && one.timestamps[$0] <= to }
                guard !kept.isEmpty else { return nil }
                return MetricSeries(labels: one.labels, timestamps: kept.map { one.timestamps[$0] }, values: kept.map { one.values[$0] })
            }
        }

        func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] { [] }
    }

    static func series(_ labels: [String: String], every interval: Int64, _ values: [Double?]) throws -> MetricSeries {
        var timestamps: [Int64] = []
        var kept: [Double] = []
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            timestamps.append(Int64(index) * interval)
            kept.append(value)
        }
        return MetricSeries(labels: try Labels(labels), timestamps: timestamps, values: kept)
    }

    static func selector(_ name: String, _ labels: [String: String] = [:], offset: Int64 = 0, at: AtModifier? = nil) -> VectorSelector {
        var matchers = [LabelMatcher(name: "__name__", op: .equal, value: name, regex: nil)]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            matchers.append(LabelMatcher(name: key, op: .equal, value: value, regex: nil))
        }
        return VectorSelector(name: name, matchers: matchers, offset: offset, at: at)
    }

    static func vector(_ result: QueryResult) -> [String: Double] {
        guard case .vector(let samples) = result else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels.description, $0.value) })
    }

    @Test func staleMarkerHidesSeriesBeforeLookbackEnds() throws {
        let store = Store(series: [try Self.series(["__name__": "up"], every: 10 * Self.second, [1, 1, 1, StaleMarker.value])])
        let engine = QueryEngine()
        let expr = QueryExpr.vector(Self.selector("up"))
        #expect(Self.vector(try engine.instant(expr, at: 25 * Self.second, source: store)) == ["{__name__=\"up\"}": 1])
        #expect(Self.vector(try engine.instant(expr, at: 40 * Self.second, source: store)).isEmpty)
    }

    @Test func lookbackWindowIsOpenOnTheLeft() throws {
        let store = Store(series: [try Self.series(["__name__": "up"], every: Self.minute, [7])])
        let engine = QueryEngine()
        let expr = QueryExpr.vector(Self.selector("up"))
        #expect(Self.vector(try engine.instant(expr, at: 5 * Self.minute - Self.second, source: store)).count == 1)
        #expect(Self.vector(try engine.instant(expr, at: 5 * Self.minute, source: store)).isEmpty)
    }

    @Test func rateExtrapolatesToTheWindowEdgesAsPrometheus() throws {
        // 0, 10, …, 100 once a minute; the window (5m, 10m] holds 60…100.
        let store = Store(series: [try Self.series(["__name__": "requests_total"], every: Self.minute, (0...10).map { Double($0 * 10) })])
        let expr = QueryExpr.call(function: "rate", arguments: [.matrix(Self.selector("requests_total"), range: 5 * Self.minute)])
        let result = Self.vector(try QueryEngine().instant(expr, at: 10 * Self.minute, source: store))
        // 40 over 240 s sampled, extended 60 s to the start (within 1.1 intervals): 50 per 300 s.
        let value = try #require(result["{__name__=\"requests_total\"}"] ?? result["{}"])
        #expect(abs(value - 50.0 / 300) < 1e-12)
    }

    @Test func rateAddsTheValueBeforeEachCounterReset() throws {
        let store = Store(series: [try Self.series(["__name__": "c_total"], every: Self.minute, [10, 20, 5, 15])])
        let expr = QueryExpr.call(function: "increase", arguments: [.matrix(Self.selector("c_total"), range: 3 * Self.minute + Self.second)])
        let result = try QueryEngine().instant(expr, at: 3 * Self.minute, source: store)
        guard case .vector(let samples) = result else { Issue.record("not a vector"); return }
        // Raw increase 15 − 10 + 20 = 25 over 180 s; start extended 1 s (the window reaches 1 s further).
        #expect(samples.count == 1)
        #expect(abs(samples[0].value - 25 * (181.0 / 180)) < 1e-9)
        #expect(samples[0].labels == Labels.empty)
    }

    @Test func groupLeftCopiesIncludedLabelsFromTheOneSide() throws {
        let store = Store(series: [
            try Self.series(["__name__": "requests", "job": "api", "instance": "a"], every: Self.minute, [10]),
            try Self.series(["__name__": "requests", "job": "api", "instance": "b"], every: Self.minute, [20]),
            try Self.series(["__name__": "build_info", "job": "api", "version": "1.2"], every: Self.minute, [1]),
        ])
        let expr = QueryExpr.binary(BinaryExpr(
            op: .multiply, lhs: .vector(Self.selector("requests")), rhs: .vector(Self.selector("build_info")),
            matching: VectorMatching(cardinality: .manyToOne, on: true, labels: ["job"], include: ["version"])))
        let result = Self.vector(try QueryEngine().instant(expr, at: 0, source: store))
        #expect(result == [
            "{instance=\"a\", job=\"api\", version=\"1.2\"}": 10,
            "{instance=\"b\", job=\"api\", version=\"1.2\"}": 20,
        ])
    }

    @Test func duplicateSeriesOnTheOneSideIsRefusedInPrometheusWords() throws {
        let store = Store(series: [
            try Self.series(["__name__": "a", "job": "x"], every: Self.minute, [1]),
            try Self.series(["__name__": "b", "job": "x", "i": "1"], every: Self.minute, [1]),
            try Self.series(["__name__": "b", "job": "x", "i": "2"], every: Self.minute, [1]),
        ])
        let expr = QueryExpr.binary(BinaryExpr(op: .add, lhs: .vector(Self.selector("a")), rhs: .vector(Self.selector("b")),
                                               matching: VectorMatching(cardinality: .oneToOne, on: true, labels: ["job"])))
        #expect(throws: QueryEvaluationError("found duplicate series for the match group {job=\"x\"} on the right hand-side of the operation: [{__name__=\"b\", i=\"1\", job=\"x\"}, {__name__=\"b\", i=\"2\", job=\"x\"}];many-to-many matching not allowed: matching labels must be unique on one side")) {
            try QueryEngine().instant(expr, at: 0, source: store)
        }
    }

    @Test func histogramQuantileFixesNonMonotonicBucketsAndSaysSo() throws {
        let buckets: [(String, Double)] = [("1", 10), ("2", 8), ("4", 20), ("+Inf", 20)]
        let store = Store(series: try buckets.map { try Self.series(["__name__": "d_bucket", "le": $0.0], every: Self.minute, [$0.1]) })
        let expr = QueryExpr.call(function: "histogram_quantile", arguments: [.number(0.5), .vector(Self.selector("d_bucket"))])
        let (result, annotations) = try QueryEngine().instantWithAnnotations(expr, at: 0, source: store)
        // Counts become 10, 10, 20, 20: rank 10 falls at the top of the first bucket.
        #expect(Self.vector(result) == ["{}": 1])
        #expect(annotations.infos.count == 1)
        #expect(annotations.infos.first?.hasPrefix("PromQL info: input to histogram_quantile needed to be fixed for monotonicity") == true)
    }

    @Test func histogramQuantileWithoutAnInfBucketIsNaN() throws {
        let store = Store(series: [
            try Self.series(["__name__": "d_bucket", "le": "1"], every: Self.minute, [3]),
            try Self.series(["__name__": "d_bucket", "le": "2"], every: Self.minute, [5]),
        ])
        let expr = QueryExpr.call(function: "histogram_quantile", arguments: [.number(0.9), .vector(Self.selector("d_bucket"))])
        let value = try #require(Self.vector(try QueryEngine().instant(expr, at: 0, source: store))["{}"])
        #expect(value.isNaN)
    }

    @Test func subqueryStepsAreAbsoluteMultiplesOfTheStep() throws {
        let store = Store(series: [try Self.series(["__name__": "g"], every: 5 * Self.second, [Double](repeating: 1, count: 40))])
        let subquery = QueryExpr.subquery(Subquery(expr: .vector(Self.selector("g")), range: Self.minute, step: 25 * Self.second))
        let expr = QueryExpr.call(function: "count_over_time", arguments: [subquery])
        // (40 s, 100 s]: steps 50, 75, 100 s. (30 s, 90 s]: 50, 75 s — not 90, 65, 40.
        #expect(Self.vector(try QueryEngine().instant(expr, at: 100 * Self.second, source: store)) == ["{}": 3])
        #expect(Self.vector(try QueryEngine().instant(expr, at: 90 * Self.second, source: store)) == ["{}": 2])
    }

    @Test func atModifierPinsEveryStepToOneTime() throws {
        let store = Store(series: [try Self.series(["__name__": "g"], every: Self.minute, (0...10).map(Double.init))])
        let engine = QueryEngine()
        let steps = QuerySteps(start: 0, end: 10 * Self.minute, step: Self.minute)
        let fixed = try engine.range(.vector(Self.selector("g", at: .time(3 * Self.minute))), steps: steps, source: store)
        guard case .matrix(let series) = fixed else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
        #expect(series.first?.values == [Double](repeating: 3, count: 11))
        let atEnd = try engine.range(.vector(Self.selector("g", offset: Self.minute, at: .end)), steps: steps, source: store)
        guard case .matrix(let endSeries) = atEnd else { Issue.record("not a matrix"); return }
        #expect(endSeries.first?.values == [Double](repeating: 9, count: 11))
    }

    @Test func rangeQueryAgreesWithInstantQueriesAtEveryStep() throws {
        var stored: [MetricSeries] = []
        for job in ["a", "b"] {
            for instance in 0..<3 {
                let values = (0..<40).map { Double($0 * (instance + 1)) + (job == "a" ? 0 : 100) }
                stored.append(try Self.series(["__name__": "req_total", "job": job, "instance": "\(instance)"], every: 15 * Self.second, values))
            }
        }
        let store = Store(series: stored)
        let rate = QueryExpr.call(function: "rate", arguments: [.matrix(Self.selector("req_total"), range: 2 * Self.minute)])
        let expr = QueryExpr.aggregate(AggregateExpr(op: .sum, expr: rate, grouping: ["job"]))
        let engine = QueryEngine()
        let steps = QuerySteps(start: 2 * Self.minute, end: 9 * Self.minute, step: 30 * Self.second)
        guard case .matrix(let ranged) = try engine.range(expr, steps: steps, source: store) else { Issue.record("not a matrix"); return }
        #expect(ranged.count == 2)
        for index in 0..<steps.count {
            let time = steps.time(index)
            let instant = Self.vector(try engine.instant(expr, at: time, source: store))
            for series in ranged {
                let position = try #require(series.timestamps.firstIndex(of: time))
                #expect(instant[series.labels.description] == series.values[position])
            }
        }
    }

    @Test func tooManySamplesIsRefused() throws {
        let store = Store(series: try (0..<50).map { try Self.series(["__name__": "m", "i": "\($0)"], every: Self.minute, [Double](repeating: 1, count: 60)) })
        var engine = QueryEngine()
        engine.maxSamples = 1_000
        let steps = QuerySteps(start: 0, end: 59 * Self.minute, step: Self.minute)
        #expect(throws: QueryEvaluationError.tooManySamples) {
            try engine.range(.vector(Self.selector("m")), steps: steps, source: store)
        }
    }
}
