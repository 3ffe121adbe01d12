import Foundation
import Testing
import TributaryTestSupport

/// `trib-agent`, the agent-only executable the packages install: the same
/// agent as `trib agent` (delivery, its HTTP port, signals), its own small
/// command line, and what it must not link.
extension AgentProcessTests {
@Suite struct LeanAgentTests {
    static func tribAgent(_ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribAgentExecutable, arguments)
    }

    @Test func tribAgentDeliversEachLineOnceAndServesItsHTTPPort() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: file
                paths: [LOGS/app.log]
            """)
        let writer = try AgentFileTests.Writer(path: setup.logDirectory.appendingPathComponent("app.log").path)
        try writer.write(300)
        let (agent, agentHTTP) = try await setup.start(lean: true)
        try writer.write(200)
        try await AgentSetup.eventually("500 lines") { try AgentSetup.lines(http: http, #"{source="file"}"#).count >= 500 }
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#)), 500)

        let health = try AgentSetup.agentPage(agentHTTP, "/healthz")
        #expect(health.hasPrefix("ok\n") && health.contains("spool_batches"), "\(health)")
        try await AgentSetup.eventually("records out on /metrics") {
            (AgentSetup.metric(try AgentSetup.agentPage(agentHTTP, "/metrics"), #"tributary_agent_records_out_total{input="file-0"}"#) ?? 0) >= 500
        }

        // The events endpoint and its limits, with a real HTTP client.
        if let curl = NodeHTTPSTests.curl {
            let base = "http://127.0.0.1:\(agentHTTP)"
            let event = try ProcessResult.run(curl, ["-sS", "-w", "\n%{http_code}", "-X", "POST", "--data",
                                                     #"{"type":"deploy","message":"lean v1","labels":{"service":"checkout"}}"#, base + "/api/v1/events"])
            #expect(NodeHTTPSTests.code(event) == 202, "\(event.stdout) \(event.stderr)")
            let large = String(repeating: "x", count: 70_000)
            let tooLarge = try ProcessResult.run(curl, ["-sS", "-w", "\n%{http_code}", "-X", "POST", "--data", large, base + "/api/v1/events"])
            #expect(NodeHTTPSTests.code(tooLarge) == 413, "\(tooLarge.stdout)")
            let wrongMethod = try ProcessResult.run(curl, ["-sS", "-w", "\n%{http_code}", "-X", "DELETE", base + "/metrics"])
            #expect(NodeHTTPSTests.code(wrongMethod) == 405, "\(wrongMethod.stdout)")
            // Two requests on one keep-alive connection, then an unknown path.
            let twice = try ProcessResult.run(curl, ["-sS", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                                                     base + "/healthz", base + "/nothing-here"])
            #expect(twice.stdout.split(separator: "\n") == ["200 1", "404 0"], "\(twice.stdout)")
            try await AgentSetup.eventually("the deploy event") {
                try AgentSetup.lines(http: http, #"{service="checkout"} |= "lean v1""#).count == 1
            }
        }

        agent.signal(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        #expect(agent.output.contains { $0.contains("stopping: spooling what the inputs read") }, "\(agent.output)")
    }

    @Test func tribAgentChecksConfigurationsAndExplainsBadArguments() throws {
        let version = try Self.tribAgent(["--version"])
        let tribVersion = try ProcessResult.run(RepositoryPaths.tribExecutable, ["--version"])
        #expect(version.status == 0 && version.stdout == tribVersion.stdout, "\(version.stdout) vs \(tribVersion.stdout)")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lean-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("agent.yaml").path
        try "nodes: [127.0.0.1:7400]\ntoken: t\ninsecure: true\nstate_dir: state\ninputs:\n  - {type: file, paths: [/var/log/x.log]}\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        let checked = try Self.tribAgent(["--check", "--config", good])
        #expect(checked.status == 0 && checked.stdout.contains("valid agent configuration: 1 input"), "\(checked.stdout) \(checked.stderr)")

        let bad = directory.appendingPathComponent("bad.yaml").path
        try "nodes: [127.0.0.1:7400]\ntoken: t\ninsecure: true\nstate_dir: state\nspol: {max_bytes: 1MiB}\ninputs: []\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let rejected = try Self.tribAgent(["--check", "--config", bad])
        #expect(rejected.status == 1 && rejected.stderr.contains("spol"), "\(rejected.stderr)")

        let unknown = try Self.tribAgent(["--confg", good])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown argument --confg") && unknown.stderr.contains("Usage:"), "\(unknown.stderr)")
        let missing = try Self.tribAgent(["--config"])
        #expect(missing.status == 1 && missing.stderr.contains("--config needs a file"), "\(missing.stderr)")
    }

    /// The reason the executable exists: none of the node, the benchmarks,
    /// Hummingbird or the argument parser is linked into it (their mangled
    /// module names would be in its symbols and metadata).
    @Test func tribAgentLinksNeitherTheNodeNorAWebFramework() throws {
        let bytes = try Data(contentsOf: RepositoryPaths.tribAgentExecutable)
        for module in ["TributaryNode", "TributaryBench", "TributaryStorage", "Hummingbird", "ArgumentParser"] {
            let mangled = Data("\(module.utf8.count)\(module)".utf8)
            #expect(bytes.range(of: mangled) == nil, "trib-agent links \(module)")
        }
        #expect(bytes.range(of: Data("14TributaryAgent".utf8)) != nil, "the check looks for names that are there")
    }
}
}
