import Foundation
import Testing
import TributaryTestSupport

/// `trib bench sustained` and the syslog-ng reference of `trib bench
/// agent`, run briefly as a user runs them: real node, real agent
/// process, real loggen and syslog-ng.
@Suite struct IngestBenchReferenceTests {
    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").first)
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Two-second partitions, so a short run sees buckets end, flush and
    /// seal while load continues.
    @Test func benchSustainedStepsTheLoadAndSealsPartitionsWhileHolding() throws {
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, [
            "bench", "sustained", "--json", "--seconds", "14", "--step-seconds", "1", "--start-rate", "2000", "--max-steps", "2",
            "--partition-span", "2", "--connections", "2", "--data", RepositoryPaths.loghub.path,
        ], timeout: 240)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result)
        #expect(object["bench"] as? String == "sustained")
        #expect((object["sustained_records_per_s"] as? Double ?? 0) > 0)
        // 2,000 or, on a machine too busy for it, a step below.
        #expect((object["offered_records_per_s"] as? Double ?? 0) > 0)
        #expect((object["sealed_partitions"] as? Double ?? 0) >= 1, "no partition was sealed while holding: \(object)")
        #expect(object["sustained_seal_lag_s"] is Double)
        #expect((object["probe_steps"] as? String ?? "").split(separator: ",").count >= 1)
    }

    @Test func benchSustainedExplainsABadStepFactor() throws {
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["bench", "sustained", "--step-factor", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--step-factor must be above 1"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/syslog-ng") && FileManager.default.isExecutableFile(atPath: "/usr/bin/loggen")))
    func benchAgentMeasuresSyslogNgBesideTheAgent() throws {
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, [
            "bench", "agent", "--json", "--only", "syslog", "--syslog-messages", "20000", "--reference", "syslog-ng",
            "--data", RepositoryPaths.loghub.path,
        ], timeout: 240)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result)
        #expect((object["syslog_msgs_per_s"] as? Double ?? 0) > 0)
        #expect((object["syslog_ng_msgs_per_s"] as? Double ?? 0) > 0, "\(object)")
        #expect((object["syslog_vs_syslog_ng"] as? Double ?? 0) > 0)
        #expect(object["rsyslog_msgs_per_s"] as? String == "not run")
    }
}
