import Testing
import TributaryTestSupport
@testable import TributaryAnomaly

/// The figures of `trib bench anomaly` must not regress below the targets.
@Suite struct AnomalyBenchmarkTests {
    @Test func syntheticSuiteKeepsPrecisionAndRecallAtLeastNinetyPercent() async throws {
        // Half a minute of computing in a debug build: off the cooperative pool (OwnThread).
        let report = try await OwnThread.run { try AnomalyBenchmark().run() }
        #expect(report.events >= 10)
        #expect(report.cases.filter { $0.events == 0 }.count >= 10)
        #expect(report.recall >= 0.9, "recall \(report.recall): \(report.cases.filter { $0.detected < $0.events }.map(\.name))")
        #expect(report.precision >= 0.9, "precision \(report.precision): \(report.cases.filter { $0.trueAlarms < $0.alarms }.map(\.name))")
    }

    @Test func theSuiteIsTheSameOnEveryRun() {
        let first = SyntheticSuite.cases(), second = SyntheticSuite.cases()
        #expect(first.map(\.series) == second.map(\.series))
    }

    @Test func scoringCountsMissesAndFalseAlarms() throws {
        // The suite's negative cases under a hair-trigger: false alarms appear and lower precision.
        let noisy = SyntheticSuite.cases().filter { ["noise_high", "step_up"].contains($0.name) }
        let report = try AnomalyBenchmark(settings: "sensitivity: 1\nmin_duration: 0s\n").run(cases: noisy)
        #expect(report.alarms > report.trueAlarms)
        #expect(report.precision < 0.9)
        // Too deaf: the step goes unseen and recall falls.
        let deaf = try AnomalyBenchmark(settings: "sensitivity: 50\n").run(cases: noisy)
        #expect(deaf.recall == 0)
    }
}
