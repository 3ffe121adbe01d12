import Foundation
import Testing
import TributaryTestSupport

/// `trib` as a user runs it: a subprocess.
@Suite struct TribCommandTests {
    static func trib(_ arguments: String...) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribExecutable, arguments)
    }

    @Test func printsItsVersion() throws {
        let result = try Self.trib("--version")
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test func helpListsTheSubcommands() throws {
        let result = try Self.trib("--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("SUBCOMMANDS:"))
        #expect(result.stdout.contains("bench"))
    }

    @Test func anUnknownSubcommandFailsWithUsage() throws {
        let result = try Self.trib("frobnicate")
        #expect(result.status != 0)
        #expect(result.stderr.contains("Usage") || result.stderr.contains("USAGE") || result.stderr.contains("Error"))
    }

    @Test func benchCodecPrintsOneJSONObjectPerLineWithTheIssuesFigures() throws {
        let result = try ProcessResult.run(
            RepositoryPaths.tribExecutable,
            ["bench", "codec", "--json", "--seconds", "0.3", "--data", RepositoryPaths.loghub.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 7, "a summary and one ratio per Loghub file")
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let summary = objects[0]
        #expect(summary["bench"] as? String == "codec")
        for figure in ["encode_mb_per_s", "decode_mb_per_s", "ratio"] {
            let value = try #require(summary[figure] as? Double, "missing \(figure)")
            #expect(value > 0)
        }
        // Real logs compress: the ratio is a property of the data, not a timing.
        #expect((summary["ratio"] as? Double ?? 0) > 2)
        #expect(objects.dropFirst().allSatisfy { ($0["file"] as? String)?.hasSuffix(".log") == true })
    }

    @Test func benchTLSPrintsTheIssuesFigures() throws {
        let result = try Self.trib("bench", "tls", "--json", "--megabytes", "8", "--handshake-seconds", "0.3", "--concurrency", "2")
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["bench"] as? String == "tls")
        for figure in ["tls_mb_per_s", "plain_mb_per_s", "handshakes_per_s"] {
            #expect((object[figure] as? Double ?? 0) > 0, "missing \(figure)")
        }
        #expect(object["cipher"] as? String == "TLS_AES_128_GCM_SHA256")
    }

    @Test func benchIngestPrintsTheIssuesFigures() throws {
        let result = try ProcessResult.run(
            RepositoryPaths.tribExecutable,
            ["bench", "ingest", "--json", "--seconds", "0.5", "--connections", "2", "--data", RepositoryPaths.loghub.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["bench"] as? String == "ingest")
        for figure in ["records_per_s", "mb_per_s", "fsyncs_per_s", "p50_ack_ms", "p99_ack_ms"] {
            #expect((object[figure] as? Double ?? 0) > 0, "missing \(figure)")
        }
    }

    @Test func benchCodecExplainsAMissingDataDirectory() throws {
        let result = try Self.trib("bench", "codec", "--data", "/nonexistent/loghub")
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/loghub"))
    }

    @Test func benchCodecRefusesABadLevel() throws {
        let result = try Self.trib("bench", "codec", "--level", "12")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--level must be 0 to 9"))
    }
}
