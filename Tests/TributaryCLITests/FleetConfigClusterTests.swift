import Foundation
import Testing
import TributaryTestSupport

/// Central configuration in a cluster of three `trib node` processes
/// (RF 2): a push through one node is served by the others, and survives
/// that node's SIGKILL.
extension AgentProcessTests {
@Suite struct FleetConfigClusterTests {
    static func fleet(_ cluster: ClusterSetup, via id: String, _ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribExecutable,
                              ["fleet", "config"] + arguments + ["--node", "https://127.0.0.1:\(cluster.node(id).httpPort)",
                                                                 "--token", NodeHTTP.adminToken, "--ca", cluster.pki.caFile])
    }

    static func status(_ cluster: ClusterSetup, _ id: String) throws -> [String: Any] {
        let response = try NodeHTTP.get(port: cluster.node(id).httpPort, "/api/v1/fleet/config/web", token: NodeHTTP.adminToken)
        guard response.status == 200 else { throw AgentSetupError.failed("\(id): \(response.status) \(response.body)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
    }

    static func versions(_ status: [String: Any]) -> [Int] {
        (status["versions"] as? [[String: Any]] ?? []).map { FleetConfigSetup.number($0["version"]) }
    }

    @Test func aPushThroughOneNodeIsServedByTheOthersAndOutlivesItsKill() async throws {
        let cluster = try ClusterSetup(["node-a", "node-b", "node-c"], writeQuorum: 1)
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let file = cluster.directory.appendingPathComponent("v1.yaml").path
        try "http_listen: 127.0.0.1:0\ninputs:\n  - {type: statsd, name: one, listen: 127.0.0.1:0}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let pushed = try Self.fleet(cluster, via: "node-a", ["push", "--group", "web", file])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        do {
            try await cluster.wait("version 1 seen by node-b and node-c") {
                try ["node-b", "node-c"].allSatisfy { Self.versions(try Self.status(cluster, $0)) == [1] }
            }
        } catch {
            Issue.record("node-b said: \(cluster.process("node-b")?.output.suffix(20).joined(separator: "\n") ?? "")")
            throw error
        }

        await cluster.kill("node-a")
        // An agent that knows only the surviving nodes gets version 1 from them.
        let agentFile = cluster.directory.appendingPathComponent("agent.yaml").path
        try """
            nodes: [127.0.0.1:\(cluster.node("node-b").agentPort), 127.0.0.1:\(cluster.node("node-c").agentPort)]
            token: ${TRIB_TEST_TOKEN}
            tls: {ca: ca.pem}
            state_dir: agent-state
            central: {group: web}
            http_listen: 127.0.0.1:0

            """.write(toFile: agentFile, atomically: true, encoding: .utf8)
        let agent = try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", agentFile])
        defer { agent.terminate() }
        _ = try await agent.waitForLine { $0.contains("applied version 1 of group web") }

        let second = cluster.directory.appendingPathComponent("v2.yaml").path
        try "http_listen: 127.0.0.1:0\ninputs:\n  - {type: statsd, name: two, listen: 127.0.0.1:0}\n".write(toFile: second, atomically: true, encoding: .utf8)
        #expect(try Self.fleet(cluster, via: "node-c", ["push", "--group", "web", second]).status == 0)
        _ = try await agent.waitForLine { $0.contains("applied version 2 of group web") }
        try await cluster.wait("node-b lists both versions and the agent on version 2") {
            let status = try Self.status(cluster, "node-b")
            let agents = status["agents"] as? [[String: Any]] ?? []
            return Self.versions(status) == [1, 2] && agents.count == 1 && FleetConfigSetup.number(agents.first?["applied"]) == 2
        }
    }
}
}
