import Foundation
import Testing
import TributaryModel
@testable import TributaryQuery

/// The robust statistics and baselines under the anomaly functions.
@Suite struct AnomalyBaselineTests {
    static let minute: Int64 = 60_000_000_000
    static let day: Int64 = 1_440 * minute

    /// A small deterministic generator (SplitMix64) for noise.
    struct Noise {
        var state: UInt64
        mutating func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(UInt64(1) << 53)
        }
        /// Roughly normal: the sum of 12 uniforms minus 6.
        mutating func gaussian() -> Double { (0..<12).reduce(0) { sum, _ in sum + unit() } - 6 }
    }

    @Test func oneOutlierMovesNeitherMedianNorSpread() throws {
        let clean = try #require(RobustStatistics.locationAndSpread([1, 2, 3, 4, 5]))
        let spiked = try #require(RobustStatistics.locationAndSpread([1, 2, 3, 4, 5_000]))
        #expect(clean.median == 3 && spiked.median == 3)
        #expect(clean.spread == spiked.spread)
        #expect(abs(clean.spread - 1.4826) < 1e-12)
    }

    @Test func constantSeriesFallsBackToOnePercentOfItsLevel() throws {
        let flat = try #require(RobustStatistics.locationAndSpread([Double](repeating: 42, count: 50)))
        #expect(flat.median == 42)
        #expect(abs(flat.spread - 0.42) < 1e-12)
        let zero = try #require(RobustStatistics.locationAndSpread([0, 0, 0]))
        #expect(zero.spread > 0)
    }

    @Test func mostlyEqualCountsUseTheMeanDeviation() throws {
        // MAD is 0 (more than half are 5), the mean absolute deviation is not.
        let counts: [Double] = [5, 5, 5, 5, 5, 5, 7, 3, 9]
        let result = try #require(RobustStatistics.locationAndSpread(counts))
        #expect(result.median == 5)
        #expect(abs(result.spread - (8.0 / 9.0) * 1.2533) < 1e-9)
    }

    @Test func nonFiniteValuesAreNotPartOfTheBaseline() throws {
        let result = try #require(RobustStatistics.locationAndSpread([1, .nan, 2, .infinity, 3]))
        #expect(result.median == 2)
        #expect(RobustStatistics.locationAndSpread([.nan]) == nil)
    }

    @Test func slidingReferenceAgreesWithSortingEachTime() throws {
        var noise = Noise(state: 7)
        var window: [Double] = []
        var sliding = SlidingReference()
        for step in 0..<600 {
            let value = (noise.unit() * 20).rounded() // repeated values on purpose
            window.append(value)
            sliding.add(value)
            if window.count > 37 || (step % 11 == 0 && window.count > 1) {
                sliding.remove(window.removeFirst())
            }
            let expected = try #require(RobustStatistics.locationAndSpread(window))
            let got = try #require(sliding.locationAndSpread())
            #expect(got.median == expected.median)
            #expect(abs(got.spread - expected.spread) < 1e-9, "step \(step): \(got) versus \(expected)")
        }
    }

    static func series(days: Int, _ value: (Int64, inout Noise) -> Double) -> (timestamps: [Int64], values: [Double]) {
        var noise = Noise(state: 99)
        var timestamps: [Int64] = [], values: [Double] = []
        for index in 0..<(days * 1_440) {
            let time = Int64(index) * minute
            timestamps.append(time)
            values.append(value(time, &noise))
        }
        return (timestamps, values)
    }

    static func daily(_ time: Int64) -> Double { 100 - 50 * cos(2 * Double.pi * Double(time % day) / Double(day)) }

    @Test func dailyShapeIsSeasonalNoiseAndTrendAreNot() {
        let detector = SeasonalityDetector()
        let seasonal = Self.series(days: 4) { time, noise in Self.daily(time) + 4 * noise.gaussian() }
        #expect(detector.detect(timestamps: seasonal.timestamps, values: seasonal.values) == SeasonalityDetector.day)
        let flat = Self.series(days: 4) { _, noise in 100 + 4 * noise.gaussian() }
        #expect(detector.detect(timestamps: flat.timestamps, values: flat.values) == nil)
        let trend = Self.series(days: 4) { time, noise in Double(time / Self.minute) * 0.1 + 4 * noise.gaussian() }
        #expect(detector.detect(timestamps: trend.timestamps, values: trend.values) == nil)
        // Less than two periods of history: not considered.
        let short = Self.series(days: 1) { time, noise in Self.daily(time) + noise.gaussian() }
        #expect(detector.detect(timestamps: short.timestamps, values: short.values) == nil)
    }

    @Test func seasonalBaselineComparesWithTheSameTimeOnEarlierDays() throws {
        let data = Self.series(days: 4) { time, noise in Self.daily(time) + 2 * noise.gaussian() }
        // The trough of the fourth day: the recent window says ~100, earlier days say ~50.
        let time = 3 * Self.day
        let seasonal = try #require(BaselineEstimator(history: 3 * Self.day, period: Self.day)
            .estimate(timestamps: data.timestamps, values: data.values, at: time))
        let recent = try #require(BaselineEstimator(history: 3 * Self.day, period: nil)
            .estimate(timestamps: data.timestamps, values: data.values, at: time))
        #expect(abs(seasonal.baseline - 50) < 3)
        #expect(abs(recent.baseline - 100) < 10)
        #expect(seasonal.spread < recent.spread / 5)
    }

    @Test func fewPointsGiveNoEstimate() {
        let estimator = BaselineEstimator(history: Self.day, period: nil)
        let timestamps = (0..<9).map { Int64($0) * Self.minute }
        let values = timestamps.map { _ in 1.0 }
        #expect(estimator.estimate(timestamps: timestamps, values: values, at: 9 * Self.minute) == nil)
        #expect(estimator.estimate(timestamps: timestamps + [9 * Self.minute], values: values + [1], at: 10 * Self.minute) != nil)
    }

    @Test func extremeTimesDoNotOverflow() {
        let estimator = BaselineEstimator(history: Int64.max, period: Int64.max / 2)
        #expect(estimator.estimate(timestamps: [Int64.min, 0, Int64.max], values: [1, 2, 3], at: Int64.max) == nil)
    }
}
