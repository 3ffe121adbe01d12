import Foundation
import Testing
import TributaryTestSupport

/// A node that answers BUSY (its disk limit): the agent keeps the batches in
/// its spool, retries after the delay the node asks for, and delivers every
/// line once the node has room.
extension AgentProcessTests {
@Suite struct AgentBusyTests {
    @Test func busyNodesGetTheBatchesLaterAndNothingIsLost() async throws {
        let port = try NodeSetup.freePort()
        let node = try NodeSetup(extra: "storage:\n  max_disk_bytes: 40KiB\n", port: port)
        let (nodeProcess, _, _) = try await node.startWithHTTP()
        let setup = try AgentSetup(node: node, nodePort: port, inputs: """
              - type: file
                paths: [LOGS/app.log]
            """)
        // Random text (it does not compress), in rounds slower than the
        // node's once-a-second disk check, so later batches meet the limit.
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        var generator = SystemRandomNumberGenerator()
        let path = setup.logDirectory.appendingPathComponent("app.log").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for round in 0..<8 {
            let text = (1...250).map { index in
                "line \(round * 250 + index) " + (0..<6).map { _ in String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 16) }.joined() + "\n"
            }.joined()
            handle.write(Data(text.utf8))
            try await Task.sleep(for: .milliseconds(1200))
        }
        try handle.close()
        try await AgentSetup.eventually("BUSY answers") {
            let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
            return (AgentSetup.metric(page, #"tributary_agent_batches_total{outcome="busy"}"#) ?? 0) > 0
                && (AgentSetup.metric(page, "tributary_agent_spool_batches") ?? 0) > 0
        }
        let warning = try await agent.waitForLine { $0.contains("is busy") }
        #expect(warning.contains("disk"), "the node's reason is logged: \(warning)")

        // The node restarts without the limit: the spool drains, every line once.
        nodeProcess.signal(SIGTERM)
        _ = await nodeProcess.waitForExit()
        var yaml = try String(contentsOfFile: node.configFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "storage:\n  max_disk_bytes: 40KiB\n", with: "")
        try yaml.write(toFile: node.configFile, atomically: true, encoding: .utf8)
        let (restarted, _, http) = try await node.startWithHTTP()
        defer { restarted.signal(SIGTERM) }
        try await AgentSetup.eventually("all 2000 lines") { try AgentSetup.lines(http: http, #"{source="file"}"#).count >= 2000 }
        try await Task.sleep(for: .milliseconds(500))
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#)), 2000)
    }
}
}
