import Foundation
import Testing
import TributaryTestSupport

/// What the agent does when nodes or its own disk misbehave, and change
/// events from `trib event`.
extension AgentProcessTests {
@Suite struct AgentDeliveryTests {
    @Test func aNodeWithTheWrongCertificateIsReportedAndNothingIsLost() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        // The agent trusts another CA than the one that issued the node's certificate.
        let foreign = try TestCertificates.foreign()
        let inputs = """
              - type: file
                paths: [LOGS/app.log]
            """
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: inputs, ca: foreign.caFile)
        let writer = try AgentFileTests.Writer(path: setup.logDirectory.appendingPathComponent("app.log").path)
        try writer.write(500)
        let (agent, agentHTTP) = try await setup.start()
        let complaint = try await agent.waitForLine { $0.contains("node 127.0.0.1:\(nodePort)") }
        #expect(complaint.contains("certificate"), "\(complaint)")
        try await AgentSetup.eventually("failed connections and a spooled batch") {
            let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
            return (AgentSetup.metric(page, #"tributary_agent_connections_total{result="failed"}"#) ?? 0) >= 2
                && (AgentSetup.metric(page, "tributary_agent_spool_batches") ?? 0) >= 1
        }
        #expect(try AgentSetup.lines(http: http, #"{source="file"}"#).isEmpty)
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit() == 0)

        // Fixed configuration: everything spooled arrives, once.
        let fixed = try AgentSetup(node: node, nodePort: nodePort, inputs: inputs)
        try writer.write(500)
        let (again, _) = try await fixed.start()
        defer { again.signal(SIGTERM) }
        try await AgentSetup.eventually("1000 lines") { try AgentSetup.lines(http: http, #"{source="file"}"#).count >= 1000 }
        try await Task.sleep(for: .milliseconds(500))
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#)), 1000)
    }

    @Test func aFullSpoolPausesFilesDropsUDPWithACountAndRecovers() async throws {
        let port = try NodeSetup.freePort()
        let node = try NodeSetup(port: port)
        let setup = try AgentSetup(node: node, nodePort: port, inputs: """
              - type: file
                paths: [LOGS/big.log]
              - type: syslog
                name: udp
                udp: 127.0.0.1:0
            """, extra: "spool: {max_bytes: 1MiB}")
        // Incompressible lines, far more than the spool (1 MiB) and the
        // batcher's memory (8 MiB) hold together, so the input must pause
        // however fast the batcher runs.
        var generator = SystemRandomNumberGenerator()
        var text = ""
        let total = 60_000
        for number in 1...total {
            text += "line \(number) " + (0..<12).map { _ in String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 16) }.joined() + "\n"
        }
        try text.write(to: setup.logDirectory.appendingPathComponent("big.log"), atomically: true, encoding: .utf8)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let udp = try #require(try await AgentSetup.ports(of: agent, input: "udp")["udp"])
        try await AgentSetup.eventually("a full spool") {
            let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
            return (AgentSetup.metric(page, "tributary_agent_spool_bytes") ?? 0) >= 1 << 20
        }
        let warning = try await agent.waitForLine { $0.contains("is full") }
        #expect(warning.contains("inputs that can wait are paused"))
        try AgentSyslogTests.python("""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(50): s.sendto(b"<13>udp while full", ("127.0.0.1", \(udp)))
            """)
        try await AgentSetup.eventually("UDP drops counted") {
            let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
            return (AgentSetup.metric(page, #"tributary_agent_dropped_total{reason="udp_spool_full"}"#) ?? 0) > 0
        }
        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect((AgentSetup.metric(page, #"tributary_agent_records_in_total{input="file-0"}"#) ?? 0) < total, "the file input paused")

        // The node comes up: the spool drains and the file is read to its end.
        let (nodeProcess, _, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        try await AgentSetup.eventually("every line of big.log", seconds: 120) {
            try AgentSetup.lines(http: http, #"{source="file"}"#, limit: 100_000).count >= total
        }
        try await Task.sleep(for: .milliseconds(500))
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(try AgentSetup.lines(http: http, #"{source="file"}"#, limit: 100_000)), total)
    }

    @Test func tribEventRecordsDeploysThroughTheAgentOrStraightToANode() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: host_metrics
                interval: 1s
            """)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let trib = RepositoryPaths.tribExecutable
        let viaAgent = try ProcessResult.run(trib, ["event", "--type", "deploy", "--label", "service=checkout", "--message", "v1.4.2",
                                                   "--agent", "127.0.0.1:\(agentHTTP)"])
        #expect(viaAgent.status == 0, "\(viaAgent.stdout)\(viaAgent.stderr)")
        let direct = try ProcessResult.run(trib, ["event", "--type", "deploy", "--label", "service=cart", "--message", "v2.0.0",
                                                 "--node", "127.0.0.1:\(nodePort)", "--ca", node.pki.caFile, "--token", "token-for-acme"])
        #expect(direct.status == 0, "\(direct.stdout)\(direct.stderr)")
        let wrongToken = try ProcessResult.run(trib, ["event", "--type", "deploy", "--node", "127.0.0.1:\(nodePort)",
                                                     "--ca", node.pki.caFile, "--token", "not-a-token"])
        #expect(wrongToken.status != 0)
        #expect((wrongToken.stdout + wrongToken.stderr).contains("refused"), "\(wrongToken.stderr)")
        let badLabel = try ProcessResult.run(trib, ["event", "--type", "deploy", "--label", "bad-name=x", "--agent", "127.0.0.1:\(agentHTTP)"])
        #expect(badLabel.status != 0)
        #expect((badLabel.stdout + badLabel.stderr).contains("not a label name"), "\(badLabel.stderr)")

        try await AgentSetup.eventually("both events") {
            try AgentSetup.lines(http: http, #"{service=~"checkout|cart"}"#).count == 2
        }
        let events = try AgentSetup.lines(http: http, #"{service=~"checkout|cart"}"#)
        #expect(Set(events.compactMap { $0["line"] as? String }) == ["v1.4.2", "v2.0.0"])
        #expect(events.allSatisfy { $0["event"] as? String == "deploy" })
        // Host metrics arrive too, as node_exporter names them.
        try await AgentSetup.eventually("host metrics") {
            let response = try NodeHTTP.query(port: http, "node_memory_MemTotal_bytes", ["step": "1s", "start": "5m"])
            return !response.series.isEmpty
        }
    }
}
}
