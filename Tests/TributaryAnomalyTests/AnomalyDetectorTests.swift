import Foundation
import Testing
import TributaryModel
import TributaryQuery
@testable import TributaryAnomaly

/// The detector on series built point by point.
@Suite struct AnomalyDetectorTests {
    static let minute: Int64 = 60_000_000_000
    static let hour = 60 * minute

    static func series(minutes: Int, skip: (Int) -> Bool = { _ in false }, _ value: (Int, inout SyntheticRandom) -> Double) -> MetricSeries {
        var random = SyntheticRandom(seed: 42)
        var timestamps: [Int64] = [], values: [Double] = []
        for index in 0..<minutes {
            let point = value(index, &random)
            guard !skip(index) else { continue }
            timestamps.append(Int64(index) * minute)
            values.append(point)
        }
        return MetricSeries(labels: (try? Labels(["__name__": "x"])) ?? .empty, timestamps: timestamps, values: values)
    }

    static let detector = AnomalyDetector(history: 24 * hour, seasonality: .none)

    @Test func aStepIsOneAlarmSinceTheStepAndFiresAfterTheMinimumDuration() throws {
        let series = Self.series(minutes: 1_800) { index, random in 100 + 5 * random.gaussian() + (index >= 1_500 && index < 1_620 ? 40 : 0) }
        let alarms = Self.detector.alarms(Self.detector.judge(series, from: 1_440 * Self.minute, to: 1_799 * Self.minute))
        #expect(alarms.count == 1)
        let alarm = try #require(alarms.first)
        #expect(alarm.start == 1_500 * Self.minute)
        #expect(alarm.firedAt == 1_503 * Self.minute)
        #expect(alarm.end == 1_619 * Self.minute)
        #expect(alarm.peakScore > 4)
    }

    @Test func anOutlierShorterThanTheMinimumDurationRaisesNothing() {
        let series = Self.series(minutes: 1_800) { index, random in 100 + 5 * random.gaussian() + (index == 1_600 || index == 1_601 ? 80 : 0) }
        let points = Self.detector.judge(series, from: 1_440 * Self.minute, to: 1_799 * Self.minute)
        #expect(points.contains { $0.isAnomalous })
        #expect(Self.detector.alarms(points).isEmpty)
    }

    @Test func directionUpIgnoresDips() {
        var detector = Self.detector
        detector.direction = .up
        let series = Self.series(minutes: 1_800) { index, random in 100 + 5 * random.gaussian() - (index >= 1_500 && index < 1_560 ? 40 : 0) }
        #expect(detector.alarms(detector.judge(series, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).isEmpty)
        detector.direction = .down
        #expect(detector.alarms(detector.judge(series, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).count == 1)
    }

    @Test func aNewSeriesWithFewPointsGetsNoVerdict() {
        let series = Self.series(minutes: 9) { _, random in 1_000 * random.unit() }
        let points = Self.detector.judge(series, from: 0, to: 9 * Self.minute)
        #expect(points.count == 9)
        #expect(points.allSatisfy { $0.estimate == nil && !$0.isAnomalous })
    }

    @Test func aConstantSeriesAlarmsOnlyWhenItReallyChanges() {
        let flat = Self.series(minutes: 1_800) { _, _ in 42 }
        #expect(Self.detector.alarms(Self.detector.judge(flat, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).isEmpty)
        let tiny = Self.series(minutes: 1_800) { index, _ in index >= 1_500 ? 42.1 : 42 }
        #expect(Self.detector.alarms(Self.detector.judge(tiny, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).isEmpty)
        let changed = Self.series(minutes: 1_800) { index, _ in index >= 1_500 && index < 1_530 ? 50 : 42 }
        #expect(Self.detector.alarms(Self.detector.judge(changed, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).count == 1)
    }

    @Test func aLongGapEndsARunAndRaisesNothingByItself() {
        let gappy = Self.series(minutes: 1_800, skip: { $0 >= 1_500 && $0 < 1_600 }) { _, random in 100 + 5 * random.gaussian() }
        #expect(Self.detector.alarms(Self.detector.judge(gappy, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).isEmpty)
        // Anomalous on both sides of a 30-minute gap: two runs, neither long enough alone.
        let split = Self.series(minutes: 1_800, skip: { $0 >= 1_502 && $0 < 1_532 }) { index, random in
            100 + 5 * random.gaussian() + (index >= 1_500 && index < 1_534 ? 60 : 0)
        }
        #expect(Self.detector.alarms(Self.detector.judge(split, from: 1_440 * Self.minute, to: 1_799 * Self.minute)).isEmpty)
    }

    @Test func seasonalityIsDetectedFromTheHistoryBeforeTheJudgedSpan() {
        var detector = Self.detector
        detector.seasonality = .auto
        detector.history = 7 * 24 * Self.hour
        let series = Self.series(minutes: 5 * 1_440) { index, random in
            100 - 50 * cos(2 * Double.pi * Double(index % 1_440) / 1_440) + 3 * random.gaussian()
        }
        #expect(detector.period(timestamps: series.timestamps, values: series.values, before: 4 * 1_440 * Self.minute) == SeasonalityDetector.day)
        #expect(detector.period(timestamps: series.timestamps, values: series.values, before: 1_440 * Self.minute) == nil)
        // The daily swing of ±50 is normal under the seasonal baseline.
        let points = detector.judge(series, from: 4 * 1_440 * Self.minute, to: 5 * 1_440 * Self.minute)
        #expect(detector.alarms(points).isEmpty)
        #expect(points.allSatisfy { $0.estimate?.period == SeasonalityDetector.day })
    }
}
