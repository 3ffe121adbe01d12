import Foundation
import Testing
import TributaryTestSupport

/// `trib bench storage` as a user runs it: a real node in the subprocess
/// stores the files, seals, and the figure is the data directory's size.
@Suite struct StorageBenchCommandTests {
    /// The figure is a size, not a timing: the same file always gives it.
    @Test func benchStorageLoadsAFileThroughANodeAndTemplatesBeatPlainLines() throws {
        let file = RepositoryPaths.loghub.appendingPathComponent("OpenSSH_2k.log")
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                           ["bench", "storage", "--json", "--compare-plain", "--data", file.path], timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["bench"] as? String == "storage")
        #expect(object["lines"] as? Int == 2000)
        let templated = try #require(object["storage_vs_gzip6"] as? Double)
        let plain = try #require(object["plain_storage_vs_gzip6"] as? Double)
        #expect(templated > 0.1 && templated < plain, "templated \(templated), plain \(plain)")
        #expect((object["sealed_bytes"] as? Int ?? 0) > 0)
    }

    @Test func benchStorageExplainsAMissingDirectory() throws {
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["bench", "storage", "--data", "/nonexistent/logs"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/logs does not exist"), "\(result.stderr)")
    }
}
