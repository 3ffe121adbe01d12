import Testing
import TributaryConfig
import TributaryModel
import TributaryQuery
@testable import TributaryAnomaly

/// Inputs that would cost unbounded time or memory are cut or refused.
@Suite struct AnomalyBoundsTests {
    static let minute: Int64 = 60_000_000_000

    @Test func countsFromLongAgoAreReadOnlyAsFarBackAsTheDetectorLooks() throws {
        let labels = try Labels(["pattern": "old <*>"])
        // One count 10 years ago, one now: densifying must not build 5 million points.
        let series = MetricSeries(labels: labels, timestamps: [0, 5_256_000 * Self.minute], values: [1, 1])
        let detector = PatternAnomalyDetector()
        let dense = detector.densified(series, from: 0, to: 5_256_000 * Self.minute)
        #expect(dense.timestamps.count <= 1_440 + 60 + 3)
        #expect(dense.timestamps.last == 5_256_000 * Self.minute)
        #expect(detector.findings(counts: [series], streamStart: 0, at: 5_256_000 * Self.minute).isEmpty)
    }

    @Test func aPeriodFarShorterThanTheWindowIsRefused() throws {
        #expect(throws: ConfigError.self) { _ = try AnomalyRule.parse(yaml: "alert: A\nanomaly: up\nseasonality: 30s\n") }
        let source = SeriesMemorySource([MetricSeries(labels: try Labels(["__name__": "up"]), timestamps: [0, Self.minute], values: [1, 1])])
        #expect(throws: QueryEvaluationError.self) {
            _ = try QueryEngine().instant(try QueryExpr.parse("anomaly_baseline(up[7d], 0.000001)", language: .promql), at: Self.minute, source: source)
        }
    }
}
