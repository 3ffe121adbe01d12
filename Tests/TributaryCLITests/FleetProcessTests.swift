import Foundation
import Testing
import TributaryTestSupport

/// The fleet inventory end to end (docs/fleet.md): a real agent reports
/// itself, a simulated network device sends syslog and stops, the agent is
/// killed and never restarted; the node reports both with their times,
/// through the HTTP API, `trib fleet` and `/metrics`. Thresholds are
/// seconds here (`fleet:` in node.yaml) so the test runs in seconds.
extension AgentProcessTests {
@Suite struct FleetProcessTests {
    static let nodeFleet = """
        fleet:
          missing_after: 3s
          silent_after: 2s
          silent_factor: 3
        """

    static func fleetCLI(_ http: Int, _ node: NodeSetup, _ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribExecutable,
                              ["fleet"] + arguments + ["--node", "https://127.0.0.1:\(http)", "--ca", node.pki.caFile, "--token", "token-for-acme"])
    }

    static func json(_ response: NodeHTTP.Response, _ key: String) -> [[String: Any]] {
        response.data[key] as? [[String: Any]] ?? []
    }

    static func seconds(_ rfc3339: Any?) -> Double? {
        guard let text = rfc3339 as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = text.replacingOccurrences(of: #"\.(\d{3})\d*Z"#, with: ".$1Z", options: .regularExpression)
        return formatter.date(from: trimmed)?.timeIntervalSince1970
    }

    @Test func aSilentDeviceAndAKilledAgentAreReportedWithTheirTimes() async throws {
        let node = try NodeSetup(extra: Self.nodeFleet)
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: syslog
                name: devices
                udp: 127.0.0.1:0
            """, extra: "fleet: {report_interval: 500ms}")
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGKILL) }
        let udp = try #require(try await AgentSetup.ports(of: agent, input: "devices")["udp"])

        // The agent reports itself at connect: host, OS, version, config, inputs.
        var agentID = ""
        try await AgentSetup.eventually("the agent's report") {
            let agents = Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet"), "agents")
            guard let first = agents.first, first["reports"] as? Bool == true else { return false }
            agentID = first["id"] as? String ?? ""
            return true
        }
        let reported = Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet"), "agents")[0]
        #expect(reported["state"] as? String == "up")
        #expect(reported["version"] as? String == "0.1.0")
        #expect((reported["config_hash"] as? String)?.count == 16)
        #expect(reported["config_version"] is NSNull, "no central configuration: config_version is null")
        #expect((reported["kernel"] as? String)?.isEmpty == false)
        #expect((reported["labels"] as? [String: String])?["env"] == "test")
        #expect((reported["inputs"] as? [[String: Any]])?.first?["type"] as? String == "syslog")

        // A switch sends a line every 100 ms for 2 s and stops; a router keeps sending.
        let sender = try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import socket, time, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(200):
                if i < 20:
                    s.sendto(b"<189>Dec  3 10:00:00 switch-7 link: port %d up" % i, ("127.0.0.1", \(udp)))
                if i == 19:
                    print("switch stopped at %.3f" % time.time(), flush=True)
                s.sendto(b"<189>Dec  3 10:00:00 router-2 bgp: keepalive %d" % i, ("127.0.0.1", \(udp)))
                time.sleep(0.1)
            """])
        defer { sender.signal(SIGTERM) }
        let stopLine = try await sender.waitForLine { $0.hasPrefix("switch stopped at") }
        let stoppedAt = try #require(Double(stopLine.split(separator: " ").last ?? ""))

        try await AgentSetup.eventually("switch-7 reported silent", seconds: 30) {
            Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet/audit"), "findings").contains {
                $0["kind"] as? String == "silent_source" && $0["subject"] as? String == "syslog:switch-7"
            }
        }
        let audit = Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet/audit"), "findings")
        let silent = try #require(audit.first { $0["subject"] as? String == "syslog:switch-7" })
        let silentSince = try #require(Self.seconds(silent["since"]), "\(silent)")
        // Since its last line reached the node: after the switch's last send, and before the audit.
        #expect(silentSince >= stoppedAt - 1 && silentSince <= Date().timeIntervalSince1970, "\(silent) stopped at \(stoppedAt)")
        #expect(!audit.contains { $0["subject"] as? String == "syslog:router-2" }, "the router still sends: \(audit)")
        let sources = Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet/sources"), "sources")
        let router = try #require(sources.first { $0["key"] as? String == "syslog:router-2" }, "\(sources)")
        #expect(router["silent"] as? Bool == false)
        #expect((router["usual_per_minute"] as? Double ?? 0) > 60)

        // The agent dies and never comes back.
        agent.signal(SIGKILL)
        let killedAt = Date().timeIntervalSince1970
        _ = await agent.waitForExit()
        try await AgentSetup.eventually("the agent reported missing", seconds: 30) {
            Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet/audit"), "findings").contains {
                $0["kind"] as? String == "missing_agent" && $0["subject"] as? String == agentID
            }
        }
        let missing = try #require(Self.json(try NodeHTTP.get(port: http, "/api/v1/fleet/audit"), "findings").first {
            $0["kind"] as? String == "missing_agent"
        })
        let missingSince = try #require(Self.seconds(missing["since"]))
        #expect(missingSince <= killedAt + 1 && missingSince >= killedAt - 5, "\(missing) killed at \(killedAt)")
        let shown = try NodeHTTP.get(port: http, "/api/v1/fleet/agents/\(agentID)")
        #expect(shown.status == 200)
        #expect(shown.data["state"] as? String == "missing")
        #expect(try NodeHTTP.get(port: http, "/api/v1/fleet/agents/no-such-agent").status == 404)

        // The CLI: tables and JSON.
        let list = try Self.fleetCLI(http, node, ["list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains(agentID) && list.stdout.contains("missing") && list.stdout.contains("1 agents, 1 missing"), "\(list.stdout)")
        let missingOnly = try Self.fleetCLI(http, node, ["list", "--state", "up", "--json"])
        #expect(missingOnly.status == 0)
        #expect(missingOnly.stdout.contains(#""agents":[]"#), "\(missingOnly.stdout)")
        let show = try Self.fleetCLI(http, node, ["show", agentID])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("devices") && show.stdout.contains("syslog") && show.stdout.contains("config hash:"), "\(show.stdout)")
        let auditText = try Self.fleetCLI(http, node, ["audit"])
        #expect(auditText.stdout.contains("silent_source") && auditText.stdout.contains("syslog:switch-7")
                && auditText.stdout.contains("missing_agent"), "\(auditText.stdout)")
        let auditJSON = try Self.fleetCLI(http, node, ["audit", "--json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(auditJSON.stdout.utf8)) as? [String: Any]
        #expect(((decoded?["data"] as? [String: Any])?["findings"] as? [Any])?.count ?? 0 >= 2, "\(auditJSON.stdout)")
        let silentSources = try Self.fleetCLI(http, node, ["sources", "--silent"])
        #expect(silentSources.stdout.contains("syslog:switch-7") && silentSources.stdout.contains("silent"), "\(silentSources.stdout)")
        let unknown = try Self.fleetCLI(http, node, ["show", "no-such-agent"])
        #expect(unknown.status != 0 && unknown.stderr.contains("404"), "\(unknown.stderr)")

        // Gauges for Prometheus-style rules.
        let metrics = try NodeHTTP.get(port: http, "/metrics").body
        #expect(metrics.contains(#"tributary_fleet_agents{state="missing",tenant="acme",version="0.1.0"} 1"#)
                || metrics.contains(#"tributary_fleet_agents{tenant="acme",version="0.1.0",state="missing"} 1"#), "\(metrics)")
        #expect(metrics.contains("tributary_fleet_source_silent_since_seconds{") && metrics.contains("syslog:switch-7"))
    }
}
}
