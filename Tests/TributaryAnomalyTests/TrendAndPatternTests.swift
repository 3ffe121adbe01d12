import Testing
import TributaryModel
import TributaryQuery
@testable import TributaryAnomaly

/// Trend rules and pattern anomalies through the query engine.
@Suite struct TrendAndPatternTests {
    static let minute: Int64 = 60_000_000_000
    static let hour = 60 * minute

    @Test func robustSlopeIgnoresASpikeThatTiltsLeastSquares() throws {
        let timestamps = (0..<120).map { Int64($0) * Self.minute }
        var values = timestamps.map { 1_000 - Double($0 / Self.minute) }
        for index in 110..<120 { values[index] += 500 }
        let fit = try #require(RobustSlope.fit(timestamps: timestamps, values: values, reference: 119 * Self.minute))
        #expect(abs(fit.slope - (-1.0 / 60)) < 0.002)
        #expect(abs(fit.level - 881) < 5)
    }

    @Test func aFillingDiskIsReportedWithItsCrossingTime() throws {
        // 1,000 free, losing 2 a minute: empty after 500 minutes.
        let timestamps = (0..<360).map { Int64($0) * Self.minute }
        var random = SyntheticRandom(seed: 5)
        let values = timestamps.map { 1_000 - 2 * Double($0 / Self.minute) + random.gaussian() }
        let source = SeriesMemorySource([MetricSeries(labels: try Labels(["__name__": "disk_free", "host": "db-1"]), timestamps: timestamps, values: values)])
        let now = 359 * Self.minute
        let soon = try TrendRule.parse(yaml: "alert: DiskFull\ntrend: disk_free\nthreshold: 0\nwithin: 4h\n")
        let finding = try #require(try soon.evaluate(at: now, source: source).first)
        #expect(abs(Double(finding.crossesAt - 500 * Self.minute) / Double(Self.minute)) < 5)
        #expect(finding.labels["host"] == "db-1")
        let later = try TrendRule.parse(yaml: "alert: DiskFull\ntrend: disk_free\nthreshold: 0\nwithin: 1h\n")
        #expect(try later.evaluate(at: now, source: source).isEmpty)
        let rising = try TrendRule.parse(yaml: "alert: DiskFull\ntrend: disk_free\nthreshold: 2000\nwithin: 100d\n")
        #expect(try rising.evaluate(at: now, source: source).isEmpty)
    }

    static func counts(_ pattern: String, minutes: Range<Int>, seed: UInt64, _ mean: (Int) -> Double) throws -> MetricSeries {
        var random = SyntheticRandom(seed: seed)
        var timestamps: [Int64] = [], values: [Double] = []
        for minute in minutes {
            let count = random.poisson(mean: mean(minute))
            guard count > 0 else { continue } // a pattern is counted only when it occurs
            timestamps.append(Int64(minute) * Self.minute)
            values.append(count)
        }
        return MetricSeries(labels: try Labels(["__name__": "tributary_log_pattern_lines", "app": "checkout", "pattern": pattern]),
                            timestamps: timestamps, values: values)
    }

    @Test func newPatternsAfterWarmUpAndRateJumpsAreFound() throws {
        let now = 1_499 * Self.minute
        let series = [
            try Self.counts("GET /cart <*>", minutes: 0..<1_500, seed: 1) { _ in 6 },
            try Self.counts("cache size=<*> entries", minutes: 1_450..<1_500, seed: 2) { 1 + Double($0 - 1_450) / 5 },
            try Self.counts("retrying payment <*>", minutes: 0..<1_500, seed: 3) { $0 >= 1_480 ? 20 : 2 },
            try Self.counts("startup done", minutes: 10..<1_500, seed: 4) { $0 < 20 ? 1 : 0 },
        ]
        let source = SeriesMemorySource(series)
        // Through the engine: the per-minute counts of the stream group.
        let query = "sum_over_time(tributary_log_pattern_lines{app=\"checkout\"}[1m])"
        let result = try QueryEngine().range(try QueryExpr.parse(query, language: .promql),
                                             steps: QuerySteps(start: 0, end: now, step: Self.minute), source: source)
        guard case .matrix(let counted) = result else { Issue.record("not a matrix"); return }
        #expect(counted.count == 4)
        let findings = PatternAnomalyDetector().findings(counts: counted, streamStart: 0, at: now)
        let byPattern = Dictionary(findings.map { ($0.pattern, $0) }, uniquingKeysWith: { first, _ in first })
        let cache = try #require(byPattern["cache size=<*> entries"])
        #expect(cache.isNew)
        #expect(cache.firstSeen <= 1_452 * Self.minute)
        #expect(cache.movement == "growing")
        let retry = try #require(byPattern["retrying payment <*>"])
        #expect(!retry.isNew)
        #expect(retry.rateAfter > 5 * retry.rateBefore)
        #expect(byPattern["GET /cart <*>"] == nil)
        #expect(byPattern["startup done"] == nil) // first seen during warm-up
    }
}
