import Foundation
import Testing
import TributaryTestSupport

/// `trib demo` as a new user runs it: it starts, prints example queries,
/// those queries return data when run as printed, and it stops by itself.
extension AgentProcessTests {
@Suite struct DemoCommandTests {
    /// `trib query 'Q' --flag value …` as printed: the arguments after `trib`.
    static func arguments(of line: String) -> [String]? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("trib query '"), let close = text.dropFirst(12).firstIndex(of: "'") else { return nil }
        let query = String(text[text.index(text.startIndex, offsetBy: 12)..<close])
        let flags = text[text.index(after: close)...].split(separator: " ").map(String.init)
        return ["query", query] + flags
    }

    @Test func theDemoRunsAClusterAndItsExampleQueriesReturnData() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-demo-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let began = Date()
        let demo = try RunningProcess(RepositoryPaths.tribExecutable, ["demo", "--duration", "20s", "--dir", directory])
        _ = try await demo.waitForLine(timeout: 60) { $0.contains("ready; Ctrl-C stops everything") }
        let commands = demo.output.compactMap(Self.arguments)
        #expect(commands.count >= 3, "\(demo.output)")
        #expect(!demo.output.contains { $0.contains("no data yet") }, "every example has data: \(demo.output)")
        for arguments in commands {
            let result = try ProcessResult.run(RepositoryPaths.tribExecutable, arguments + ["--json"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let data = json?["data"] as? [String: Any]
            let count = (data?["lines"] as? [Any])?.count ?? (data?["result"] as? [Any])?.count ?? 0
            #expect(count > 0, "\(arguments[1]) returned nothing: \(result.stdout.prefix(300))")
        }
        // The printed cluster status command works as printed (HTTPS, admin token).
        let statusLine = try #require(demo.output.first { $0.contains("trib cluster status") }, "\(demo.output)")
        let status = statusLine.components(separatedBy: "trib ")[1].split(separator: " ").map(String.init)
        let shown = try ProcessResult.run(RepositoryPaths.tribExecutable, status)
        #expect(shown.status == 0 && shown.stdout.contains("node-a"), "\(status): \(shown.stderr)")
        // The printed console URL serves the console, and its token signs in (query and admin).
        let consoleLine = try #require(demo.output.first { $0.contains("Web console: https://") }, "\(demo.output)")
        let consolePort = try #require(Int(consoleLine.components(separatedBy: "https://127.0.0.1:")[1].prefix { $0.isNumber }), "\(consoleLine)")
        let consoleToken = try #require(consoleLine.components(separatedBy: "sign in with the token ").last, "\(consoleLine)")
        let caFile = try #require(demo.output.first { $0.contains("trust ") }?.components(separatedBy: "trust ").last?.dropLast(), "\(demo.output)")
        NodeHTTP.trust(port: consolePort, ca: String(caFile))
        let shell = try NodeHTTP.get(port: consolePort, "/explore", token: nil)
        #expect(shell.status == 200 && shell.body.contains("/console/app.js"), "\(shell.status) \(shell.body.prefix(200))")
        #expect(try NodeHTTP.get(port: consolePort, "/api/v1/cluster", token: consoleToken).status == 200)
        #expect(try NodeHTTP.get(port: consolePort, "/api/v1/query_range?query=%7Bapp%3D%22checkout%22%7D", token: consoleToken).status == 200)
        // The incident scenario: the printed `trib incidents` shows the deploy and the new log pattern.
        let incidentsLine = try #require(demo.output.first { $0.contains("trib incidents") }, "\(demo.output)")
        let incidents = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                              incidentsLine.components(separatedBy: "trib ")[1].split(separator: " ").map(String.init))
        #expect(incidents.status == 0 && incidents.stdout.contains("checkout v1.4.2")
                && incidents.stdout.contains("cache size=<*> entries"), "\(incidents.stdout) \(incidents.stderr)")
        // The files it wrote are ordinary configurations.
        for file in ["node-a.yaml", "node-b.yaml", "node-c.yaml", "node-inc.yaml", "rules/checkout.yaml", "agent.yaml", "topology.yaml"] {
            let checked = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", directory + "/" + file])
            #expect(checked.status == 0, "\(file): \(checked.stderr)")
        }
        #expect(await demo.waitForExit(timeout: 40) == 0)
        #expect(demo.output.contains { $0.contains("stopped; files kept in") })
        #expect(Date().timeIntervalSince(began) < 60)
    }

    @Test func ctrlCStopsTheDemoCleanly() async throws {
        let demo = try RunningProcess(RepositoryPaths.tribExecutable, ["demo"])
        _ = try await demo.waitForLine(timeout: 60) { $0.contains("ready; Ctrl-C stops everything") }
        let directory = try #require(demo.output.first { $0.contains("files in") }?.components(separatedBy: "files in ")[1].split(separator: " ")[0])
        demo.signal(SIGINT)
        #expect(await demo.waitForExit(timeout: 30) == 0)
        #expect(demo.output.contains { $0.contains("stopped; removed") })
        #expect(!FileManager.default.fileExists(atPath: String(directory)), "the temporary directory is removed")
    }
}
}
