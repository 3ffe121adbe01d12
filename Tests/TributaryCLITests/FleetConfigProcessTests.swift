import Foundation
import Testing
import TributaryTestSupport

/// Central configuration with real `trib node`, `trib agent` and
/// `trib fleet config` processes (docs/fleet-config.md).
extension AgentProcessTests {
@Suite struct FleetConfigProcessTests {
    /// Sends one RFC 5424 line over UDP to 127.0.0.1:`port`.
    static func sendSyslog(_ text: String, port: Int) throws {
        let socket = udpSocket()
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let message = Array("<14>1 2026-01-01T00:00:00Z host app - - - \(text)".utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(socket, message, message.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(sent == message.count)
    }

    static func udpSocket() -> Int32 { socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0) }

    @Test func pushRefuseFailAtStartRollBackAndRestartWithoutANode() async throws {
        let setup = try FleetConfigSetup()
        let (node, _, http) = try await setup.node.startWithHTTP()
        let (agent, agentID) = try await setup.startAgent(try setup.agentFile("a"))
        defer { agent.terminate(); node.terminate() }

        // Version 1: a syslog input with a label; the agent runs it and its lines arrive.
        let v1 = try setup.centralFile("v1.yaml", """
            http_listen: 127.0.0.1:0
            labels: {team: blue}
            batch: {max_age: 200ms}
            inputs:
              - {type: syslog, name: sys, udp: 127.0.0.1:0}

            """)
        let pushed = try setup.fleet(["push", "--group", "web", v1], http: http)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stdout.contains("version 1 stored"))
        _ = try await agent.waitForLine { $0.contains("applied version 1 of group web") }
        let port = try #require(try await AgentSetup.ports(of: agent, input: "sys")["udp"])
        try Self.sendSyslog("hello from central v1", port: port)
        try await AgentSetup.eventually("the line sent to the central input") {
            try AgentSetup.lines(http: http, #"{team="blue"}"#).contains { ($0["line"] as? String)?.contains("hello from central v1") == true }
        }
        try await AgentSetup.eventually("the agent's report of version 1") {
            let entry = FleetConfigSetup.agents(try setup.status(http: http))[agentID]
            return FleetConfigSetup.number(entry?["applied"]) == 1 && entry?["state"] as? String == "current"
        }

        // A configuration the agent's validator refuses never becomes a version.
        let broken = try setup.centralFile("broken.yaml", "inputs:\n  - {type: syslog, udpp: 127.0.0.1:0}\n")
        let refused = try setup.fleet(["push", "--group", "web", broken], http: http)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("inputs[0].udpp") && refused.stderr.contains("did you mean `udp`"), "\(refused.stderr)")
        let local = try setup.centralFile("local.yaml", "nodes: [elsewhere:7400]\ninputs:\n  - {type: syslog, udp: 127.0.0.1:0}\n")
        let localKey = try setup.fleet(["push", "--group", "web", local], http: http)
        #expect(localKey.status != 0 && localKey.stderr.contains("nodes: is kept in each agent's local file"), "\(localKey.stderr)")
        #expect(FleetConfigSetup.number(try setup.status(http: http)["version"]) == 1)

        // Version 2 loads but cannot start (its UDP port is taken): the agent goes back to version 1 and says why.
        let holder = Self.udpSocket()
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let taken: Int = try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                try #require(bind(holder, raw, length) == 0)
                try #require(getsockname(holder, raw, &length) == 0)
                return Int(UInt16(bigEndian: pointer.pointee.sin_port))
            }
        }
        let v2 = try setup.centralFile("v2.yaml", "http_listen: 127.0.0.1:0\ninputs:\n  - {type: syslog, name: busy, udp: 127.0.0.1:\(taken)}\n")
        #expect(try setup.fleet(["push", "--group", "web", v2], http: http).status == 0)
        try await AgentSetup.eventually("the agent's report that version 2 failed") {
            let entry = FleetConfigSetup.agents(try setup.status(http: http))[agentID]
            return entry?["state"] as? String == "failed"
        }
        let failed = try #require(FleetConfigSetup.agents(try setup.status(http: http))[agentID])
        #expect(FleetConfigSetup.number(failed["failed_version"]) == 2)
        #expect(FleetConfigSetup.number(failed["applied"]) == 1, "it runs its last good version")
        #expect((failed["error"] as? String)?.contains("does not start") == true, "\(failed)")
        let page = try NodeHTTP.get(port: http, "/metrics").body
        #expect(page.contains(#"tributary_fleet_config_agents{group="web",state="failed"} 1"#), "\(page.suffix(600))")
        let table = try setup.fleet(["status", "--group", "web"], http: http)
        #expect(table.stdout.contains("v2 failed: does not start"), "\(table.stdout)")
        let back = try await AgentSetup.ports(of: agent, input: "sys")["udp"]
        #expect(back != nil, "version 1's input runs again")

        // Rollback: every agent's target is version 1 again, which this one runs.
        let rolledBack = try setup.fleet(["rollback", "--group", "web"], http: http)
        #expect(rolledBack.status == 0 && rolledBack.stdout.contains("rolled back to version 1"), "\(rolledBack.stderr)")
        try await AgentSetup.eventually("the agent current on version 1") {
            let status = try setup.status(http: http)
            let entry = FleetConfigSetup.agents(status)[agentID]
            return FleetConfigSetup.number(status["version"]) == 1 && entry?["state"] as? String == "current"
        }

        // Without any node, a restarted agent runs the version it stored.
        node.terminate()
        _ = await node.waitForExit()
        agent.terminate()
        _ = await agent.waitForExit()
        let (again, _) = try await setup.startAgent(setup.node.directory.appendingPathComponent("agent-a.yaml").path)
        defer { again.terminate() }
        _ = try await again.waitForLine { $0.contains("running stored version 1 of group web") }
        _ = try await AgentSetup.ports(of: again, input: "sys")
    }

    @Test func checkConfigChecksACentralFileAsThePushWould() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("check-central-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let good = directory.appendingPathComponent("good.yaml").path
        try "inputs:\n  - {type: statsd, name: stats, listen: 127.0.0.1:0}\n".write(toFile: good, atomically: true, encoding: .utf8)
        let bad = directory.appendingPathComponent("bad.yaml").path
        try "state_dir: /tmp/x\ninputs:\n  - {type: statsd, listen: 127.0.0.1:0}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let accepted = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", "--central-group", "web", good])
        #expect(accepted.status == 0 && accepted.stdout.contains("valid central configuration for group web: 1 input (stats)"), "\(accepted.stderr)")
        let refused = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", "--central-group", "web", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("central configuration web:1: state_dir: is kept in each agent's local file"), "\(refused.stderr)")
    }

    /// The FNV-1a 64-bit hash of the id modulo 100 (docs/fleet-config.md), written out here again.
    static func bucket(_ id: String) -> Int {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int(hash % 100)
    }

    @Test func aCanaryReachesTheAgentsWhoseIdHashesBelowItThenPromoteReachesAll() async throws {
        let setup = try FleetConfigSetup()
        let (node, _, http) = try await setup.node.startWithHTTP()
        defer { node.terminate() }
        // Agent ids chosen so that a 50% canary takes some and leaves some.
        var ids: [String] = []
        var index = 0
        while ids.filter({ Self.bucket($0) < 50 }).count < 2 || ids.filter({ Self.bucket($0) >= 50 }).count < 2 {
            let id = "canary-agent-\(index)"
            index += 1
            if ids.filter({ (Self.bucket($0) < 50) == (Self.bucket(id) < 50) }).count < 2 { ids.append(id) }
        }
        let v1 = try setup.centralFile("v1.yaml", "http_listen: 127.0.0.1:0\nlabels: {rollout: one}\ninputs:\n  - {type: statsd, listen: 127.0.0.1:0}\n")
        #expect(try setup.fleet(["push", "--group", "web", v1], http: http).status == 0)
        var agents: [RunningProcess] = []
        defer { for agent in agents { agent.terminate() } }
        for (number, id) in ids.enumerated() {
            let (agent, started) = try await setup.startAgent(try setup.agentFile("\(number)", id: id))
            #expect(started == id)
            agents.append(agent)
        }
        try await AgentSetup.eventually("every agent on version 1", seconds: 90) {
            let entries = FleetConfigSetup.agents(try setup.status(http: http))
            return ids.allSatisfy { FleetConfigSetup.number(entries[$0]?["applied"]) == 1 }
        }

        let v2 = try setup.centralFile("v2.yaml", "http_listen: 127.0.0.1:0\nlabels: {rollout: two}\ninputs:\n  - {type: statsd, listen: 127.0.0.1:0}\n")
        let canary = try setup.fleet(["push", "--group", "web", "--canary", "50%", v2], http: http)
        #expect(canary.status == 0 && canary.stdout.contains("for 50% of its agents"), "\(canary.stdout) \(canary.stderr)")
        let expected = Dictionary(uniqueKeysWithValues: ids.map { ($0, Self.bucket($0) < 50 ? 2 : 1) })
        try await AgentSetup.eventually("the canary on version 2, the others on 1", seconds: 90) {
            let entries = FleetConfigSetup.agents(try setup.status(http: http))
            return ids.allSatisfy { FleetConfigSetup.number(entries[$0]?["applied"]) == expected[$0] && entries[$0]?["state"] as? String == "current" }
        }
        let status = try setup.status(http: http)
        #expect(FleetConfigSetup.number(status["canary"]) == 50)
        #expect(FleetConfigSetup.number(status["stable"]) == 1)

        let promoted = try setup.fleet(["promote", "--group", "web"], http: http)
        #expect(promoted.status == 0, "\(promoted.stderr)")
        try await AgentSetup.eventually("every agent on version 2", seconds: 90) {
            let entries = FleetConfigSetup.agents(try setup.status(http: http))
            return ids.allSatisfy { FleetConfigSetup.number(entries[$0]?["applied"]) == 2 }
        }
        let shown = try setup.fleet(["show", "--group", "web", "--version", "1"], http: http)
        #expect(shown.stdout.contains("rollout: one"), "\(shown.stdout)")
    }
}
}
