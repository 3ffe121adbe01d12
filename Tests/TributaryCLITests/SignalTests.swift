import Foundation
import Testing
import TributaryTestSupport

/// SIGHUP and SIGTERM with real `trib agent` and `trib node` processes.
extension AgentProcessTests {
@Suite struct SignalTests {
    static func append(_ path: String, _ lines: ClosedRange<Int>, prefix: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        handle.write(Data(lines.map { "\(prefix) \($0)\n" }.joined().utf8))
        try handle.close()
    }

    static func numbers(_ lines: [[String: Any]], prefix: String) -> [Int] {
        lines.compactMap { line in
            guard let text = line["line"] as? String, text.hasPrefix(prefix + " ") else { return nil }
            return Int(text.dropFirst(prefix.count + 1))
        }
    }

    @Test func sighupReloadsTheAgentsInputsAndLabelsLosingAndRepeatingNothing() async throws {
        let port = try NodeSetup.freePort()
        let node = try NodeSetup(port: port)
        let setup = try AgentSetup(node: node, nodePort: port, inputs: """
              - {type: file, name: first, paths: [LOGS/first.log], start_at: beginning, labels: {team: one}}
            """)
        let (nodeProcess, _, http) = try await node.startWithHTTP()
        let (agent, _) = try await setup.start()
        let first = setup.logDirectory.appendingPathComponent("first.log").path
        let second = setup.logDirectory.appendingPathComponent("second.log").path
        try Self.append(first, 1...100, prefix: "first")
        try await AgentSetup.eventually("the first 100 lines") {
            Self.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#), prefix: "first").count == 100
        }

        // A second input, new labels on the first, and a state_dir move that must not happen live.
        var yaml = try String(contentsOfFile: setup.configFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "labels: {team: one}}", with: "labels: {team: two}}\n  - {type: file, name: second, paths: [\(second)], start_at: beginning}")
        yaml = yaml.replacingOccurrences(of: "state_dir: agent-state", with: "state_dir: elsewhere")
        try yaml.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        try Self.append(first, 101...150, prefix: "first")   // written while the agent reloads
        agent.signal(SIGHUP)
        _ = try await agent.waitForLine { $0.contains("reloaded") }
        #expect(agent.output.contains { $0.contains("state_dir changed") && $0.contains("cannot change while the agent runs") }, "\(agent.output)")
        try Self.append(first, 151...200, prefix: "first")
        try Self.append(second, 1...50, prefix: "second")
        try await AgentSetup.eventually("every line of both files") {
            let lines = try AgentSetup.lines(http: http, #"{source="file"}"#)
            return Self.numbers(lines, prefix: "first").count >= 200 && Self.numbers(lines, prefix: "second").count >= 50
        }
        let lines = try AgentSetup.lines(http: http, #"{source="file"}"#)
        #expect(Self.numbers(lines, prefix: "first").sorted() == Array(1...200), "each line of the first file once")
        #expect(Self.numbers(lines, prefix: "second").sorted() == Array(1...50))
        let late = lines.filter { ($0["line"] as? String) == "first 200" }.first?["labels"] as? [String: String]
        #expect(late?["team"] == "two", "lines read after the reload carry the new labels: \(late ?? [:])")
        let early = lines.filter { ($0["line"] as? String) == "first 1" }.first?["labels"] as? [String: String]
        #expect(early?["team"] == "one")
        #expect(!FileManager.default.fileExists(atPath: node.directory.appendingPathComponent("elsewhere").path), "state_dir was not moved")

        // A configuration that does not load is reported; the agent keeps running.
        try "nodes: [\n".write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        agent.signal(SIGHUP)
        _ = try await agent.waitForLine { $0.contains("keeping the running configuration") }
        try Self.append(second, 51...60, prefix: "second")
        try await AgentSetup.eventually("lines after a failed reload") {
            Self.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#), prefix: "second").count == 60
        }

        let began = Date()
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit(timeout: 15) == 0)
        #expect(Date().timeIntervalSince(began) < 10, "SIGTERM exits within its drain bound")
        nodeProcess.signal(SIGTERM)
        #expect(await nodeProcess.waitForExit(timeout: 20) == 0)
    }

    /// Signals are watched from before the node starts: a SIGHUP or SIGTERM
    /// sent as soon as the first line appears used to hit the default
    /// action (the process died) because the handlers came later.
    @Test func signalsSentTheMomentANodeSaysItIsUpAreHandled() async throws {
        let setup = try NodeSetup()
        let node = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", setup.configFile])
        _ = try await node.waitForLine { $0.contains("accepting agents on") }
        node.signal(SIGHUP)
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 30) == 0, "\(node.output.suffix(5))")
    }

    @Test func sighupOnANodeReportsWhatOnlyARestartApplies() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        let yaml = try String(contentsOfFile: setup.configFile, encoding: .utf8)
        try (yaml + "\nlimits:\n  window: 8\n").replacingOccurrences(of: "name: acme", with: "name: acme\n    retention: 2d")
            .write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        node.signal(SIGHUP)
        let line = try await node.waitForLine { $0.contains("a running node cannot take that over") }
        #expect(line.contains("tenants") && line.contains("limits"), "\(line)")
        #expect(node.output.contains { $0.contains("TLS files reloaded") })
        try "node_id: [".write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        node.signal(SIGHUP)
        _ = try await node.waitForLine { $0.contains("no longer loads") }
        #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).status == 200, "the node keeps running")
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 20) == 0)
    }
}
}
