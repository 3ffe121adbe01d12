import Foundation
import Testing
import TributaryConformance
import TributaryQuery

/// Prometheus' own PromQL test scripts (../shared/data/promqltest): no
/// file may pass fewer cases than recorded here, and the runner itself
/// must tell a wrong answer, a skip and a pass apart.
@Suite struct PromQLConformanceTests {
    /// Passed cases per file when the evaluator was last measured.
    static let recordedPassed: [String: Int] = [
        "aggregators.test": 123,
        "functions.test": 334,
        "histograms.test": 78,
        "limit.test": 0,
        "literals.test": 25,
        "name_label_dropping.test": 30,
        "operators.test": 142,
        "range_queries.test": 12,
        "selectors.test": 31,
    ]

    static let runner = PromQLTestRunner { try QueryExpr.parse($0, language: .promql) }

    static var sharedDirectory: String? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("shared/data/promqltest").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let sibling = url.appendingPathComponent("../shared/data/promqltest").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: sibling) { return sibling }
        }
        return nil
    }

    @Test func sharedScriptsPassAtLeastTheRecordedCounts() throws {
        let directory = try #require(Self.sharedDirectory, "../shared/data/promqltest not found")
        let results = try Self.runner.run(directory: directory)
        #expect(results.count == Self.recordedPassed.count)
        for result in results {
            let recorded = try #require(Self.recordedPassed[result.file], "no recorded count for \(result.file)")
            #expect(result.passed >= recorded, "\(result.file): \(result.passed) passed, recorded \(recorded); failures: \(result.failures.prefix(5))")
        }
        let passed = results.reduce(0) { $0 + $1.passed }
        let failed = results.reduce(0) { $0 + $1.failed }
        #expect(Double(passed) / Double(passed + failed) >= 0.97)
    }

    @Test func runnerCountsWrongAnswersSkipsAndPassesSeparately() {
        let script = """
        load 1m
        \tmetric{job="a"} 0+1x10
        \tnative {{schema:0 sum:1 count:1}}x10

        eval instant at 5m metric
        \tmetric{job="a"} 5

        eval instant at 5m metric
        \tmetric{job="a"} 6

        eval instant at 5m native
        \tnative 1

        eval range from 0 to 2m step 1m metric * 2
        \t{job="a"} 0 2 4

        eval instant at 5m metric + on(nope) group_left metric
        \texpect fail
        """
        let result = Self.runner.run(script: script, file: "inline.test")
        #expect(result.passed == 2)
        #expect(result.failed == 2)
        #expect(result.skipped == 1)
        #expect(result.failures.map(\.line) == [8, 17])
    }

    @Test func expectedErrorsAndOrderingAreChecked() {
        let script = """
        load 1m
        \tx{i="1"} 3
        \tx{i="2"} 1
        \ty{j="1"} 1
        \ty{j="2"} 1

        eval instant at 0m sort_desc(x)
        \texpect ordered
        \tx{i="1"} 3
        \tx{i="2"} 1

        eval instant at 0m sort(x)
        \texpect ordered
        \tx{i="1"} 3
        \tx{i="2"} 1

        eval instant at 0m x + on() y
        \texpect fail msg: found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="y", j="1"}, {__name__="y", j="2"}];many-to-many matching not allowed: matching labels must be unique on one side
        """
        let result = Self.runner.run(script: script, file: "inline.test")
        #expect(result.passed == 2)
        #expect(result.failed == 1)
        #expect(result.failures.first?.line == 12)
    }
}
