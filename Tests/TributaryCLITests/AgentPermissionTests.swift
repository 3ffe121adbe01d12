import Foundation
import Testing
import TributaryTestSupport

/// A file the agent may not read: reported once, counted, retried at every
/// scan, and read in full once its permissions are fixed. Root reads any
/// file, so as root (CI) the agent runs as `nobody` through setpriv.
extension AgentProcessTests {
@Suite struct AgentPermissionTests {
    @Test func anUnreadableFileIsReportedAndReadOnceItCanBe() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: file
                name: app
                paths: [LOGS/*.log]
            """)
        let locked = setup.logDirectory.appendingPathComponent("locked.log").path
        try (1...10).map { "line \($0) locked\n" }.joined().write(toFile: locked, atomically: true, encoding: .utf8)
        try (11...20).map { "line \($0) open\n" }.joined().write(toFile: setup.logDirectory.appendingPathComponent("open.log").path,
                                                                  atomically: true, encoding: .utf8)
        chmod(locked, 0o000)
        var executable = RepositoryPaths.tribExecutable
        var arguments = ["agent", "--config", setup.configFile]
        if getuid() == 0 {
            try FileManager.default.createDirectory(atPath: setup.stateDirectory, withIntermediateDirectories: true)
            chmod(setup.stateDirectory, 0o777)
            chmod(setup.configFile, 0o644)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path] + arguments
            executable = URL(fileURLWithPath: "/usr/bin/setpriv")
        }
        let agent = try RunningProcess(executable, arguments)
        defer { agent.signal(SIGTERM) }
        let line = try await agent.waitForLine { $0.contains("HTTP on http://") }
        let agentHTTP = try #require(Int(line.components(separatedBy: "HTTP on http://")[1].split(separator: " ")[0].split(separator: ":").last ?? ""))
        let complaint = try await agent.waitForLine { $0.contains("cannot read") }
        #expect(complaint.contains("locked.log") && complaint.contains("ermission"), "\(complaint)")
        try await AgentSetup.eventually("open.log") { try AgentSetup.lines(http: http, #"{source="file"}"#).count == 10 }
        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(page, #"tributary_agent_input_errors_total{kind="unreadable_file"}"#) == 1)

        chmod(locked, 0o644)
        try await AgentSetup.eventually("locked.log once readable") { try AgentSetup.lines(http: http, #"{source="file"}"#).count == 20 }
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#)), 20)
        #expect(agent.output.filter { $0.contains("cannot read") }.count == 1, "reported once, not at every scan")
    }
}
}
