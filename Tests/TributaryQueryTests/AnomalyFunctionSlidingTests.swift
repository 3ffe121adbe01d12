import Testing
import TributaryModel
@testable import TributaryQuery

/// The range query's sliding reference gives what the estimator computes
/// for each step on its own.
@Suite struct AnomalyFunctionSlidingTests {
    static let minute: Int64 = 60_000_000_000

    @Test func slidingBandEqualsTheEstimatorAtEveryStep() throws {
        var noise = AnomalyBaselineTests.Noise(state: 3)
        var values: [Double?] = []
        for index in 0..<600 {
            let value = (100 + 10 * noise.gaussian()).rounded()
            values.append(index % 13 == 5 || (index > 300 && index < 340) ? nil : value)
        }
        let series = try QueryEngineTests.series(["__name__": "x"], every: Self.minute, values)
        let store = QueryEngineTests.Store(series: [series])
        let result = try QueryEngine().range(try QueryExpr.parse("anomaly_baseline(x[90m]) + 0 * anomaly_score(x[90m])", language: .promql),
                                             steps: QuerySteps(start: 0, end: 599 * Self.minute, step: Self.minute), source: store)
        let baseline = try QueryEngine().range(try QueryExpr.parse("anomaly_baseline(x[90m])", language: .promql),
                                               steps: QuerySteps(start: 0, end: 599 * Self.minute, step: Self.minute), source: store)
        guard case .matrix(let got) = baseline, case .matrix = result, let band = got.first else { Issue.record("no band"); return }
        var checked = 0
        for (index, time) in band.timestamps.enumerated() {
            let start = time - 90 * Self.minute
            let judged = try #require(series.timestamps.last { $0 <= time && $0 > start })
            let expected = try #require(BaselineEstimator(history: judged - start, period: nil)
                .estimate(timestamps: series.timestamps, values: series.values, at: judged))
            #expect(band.values[index] == expected.baseline, "step at minute \(time / Self.minute)")
            checked += 1
        }
        #expect(checked > 400)
    }
}
