import Foundation
import Testing
import TributaryTestSupport

/// Docker json-file logs, StatsD and syslog over TLS through a real agent.
extension AgentProcessTests {
@Suite struct AgentInputTests {
    @Test func dockerStatsDAndSyslogOverTLSArrive() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        try node.pki.issue("agent")
        let container = String(repeating: "abcdef012345", count: 5) + "abcd"
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: docker
                paths: [LOGS/containers/*/*-json.log]
              - type: statsd
                name: app-metrics
                listen: 127.0.0.1:0
                flush_interval: 500ms
              - type: syslog
                name: secure
                tls: {listen: 127.0.0.1:0, certificate: agent.pem, key: agent.key}
            """)
        // Recent times: queries look at the last hour by default.
        let formatter = ISO8601DateFormatter()
        let now = Date()
        let first = formatter.string(from: now.addingTimeInterval(-60)).replacingOccurrences(of: "Z", with: ".5Z")
        let second = formatter.string(from: now.addingTimeInterval(-59))
        let directory = setup.logDirectory.appendingPathComponent("containers/\(container)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            {"log":"listening on :8080\\n","stream":"stdout","time":"\(first)"}
            {"log":"first half of a long line ","stream":"stderr","time":"\(second)"}
            {"log":"and its end\\n","stream":"stderr","time":"\(second)"}

            """.write(to: directory.appendingPathComponent("\(container)-json.log"), atomically: true, encoding: .utf8)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }

        // StatsD over UDP.
        let statsd = try #require(try await agent.waitForLine { $0.contains("input app-metrics: statsd udp") }
            .split(separator: " ").last.flatMap { Int($0) })
        try AgentSyslogTests.python("""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(5): s.sendto(b"checkout.orders:2|c|#region:eu\\ncheckout.latency:120|ms", ("127.0.0.1", \(statsd)))
            """)
        // Syslog over TLS from openssl s_client, trusting the agent's certificate by our CA.
        let tls = try #require(try await AgentSetup.ports(of: agent, input: "secure")["tls"])
        let client = try RunningProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "s_client", "-connect", "127.0.0.1:\(tls)", "-CAfile", node.pki.caFile, "-verify_return_error", "-quiet"])
        try await Task.sleep(for: .milliseconds(500))
        client.write("<134>1 \(second) fw01 pf 77 - - blocked 10.0.0.9\n")
        try await Task.sleep(for: .milliseconds(500))
        client.closeInput()

        try await AgentSetup.eventually("docker lines and the TLS syslog message") {
            try AgentSetup.lines(http: http, #"{source="docker"}"#).count == 2
                && AgentSetup.lines(http: http, #"{source="syslog"}"#).count == 1
        }
        let docker = try AgentSetup.lines(http: http, #"{source="docker"}"#)
        #expect(Set(docker.compactMap { $0["line"] as? String }) == ["listening on :8080", "first half of a long line and its end"])
        let labels = try #require(docker.first?["labels"] as? [String: String])
        #expect(labels["container_id"] == String(container.prefix(12)))
        #expect(docker.contains { ($0["labels"] as? [String: String])?["stream"] == "stderr" })
        #expect(docker.contains { ($0["time"] as? String)?.hasSuffix(".500000000Z") == true }, "Docker's own time")
        let syslog = try #require(try AgentSetup.lines(http: http, #"{source="syslog"}"#).first)
        #expect(syslog["line"] as? String == "blocked 10.0.0.9")
        #expect((syslog["labels"] as? [String: String])?["host"] == "fw01")

        try await AgentSetup.eventually("StatsD counters and timers") {
            let orders = try NodeHTTP.query(port: http, #"checkout_orders{region="eu"}"#, ["step": "1s", "start": "5m"])
            let latency = try NodeHTTP.query(port: http, #"checkout_latency{quantile="0.99"}"#, ["step": "1s", "start": "5m"])
            guard let values = orders.series.first?["values"] as? [[Any]], let last = values.last?[1] as? String else { return false }
            return last == "10" && !latency.series.isEmpty
        }
    }
}
}
