import Foundation
import Testing
import TributaryTestSupport

/// A node (`NodeSetup`, TLS) and agents whose local files say
/// `central: {group: …}` and nothing else but how to reach the node, with
/// `trib fleet config …` run as a subprocess against the node's HTTP API.
final class FleetConfigSetup: Sendable {
    let node: NodeSetup
    let nodePort: Int

    init() throws {
        nodePort = try NodeSetup.freePort()
        node = try NodeSetup(port: nodePort)
    }

    /// Writes `agent-NAME.yaml` (state in `state-NAME`, agent id `id` if
    /// given) and returns its path. Its `http_listen` (port 0, so agents
    /// started side by side do not collide on the default 7402) holds until
    /// the first central version replaces it.
    func agentFile(_ name: String, group: String = "web", id: String? = nil) throws -> String {
        let state = node.directory.appendingPathComponent("state-\(name)").path
        if let id {
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            try (id + "\n").write(toFile: state + "/agent-id", atomically: true, encoding: .utf8)
        }
        let path = node.directory.appendingPathComponent("agent-\(name).yaml").path
        try """
            nodes: [127.0.0.1:\(nodePort)]
            token: ${TRIB_TEST_TOKEN}
            tls:
              ca: ca.pem
            state_dir: state-\(name)
            central: {group: \(group)}
            http_listen: 127.0.0.1:0

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts `trib agent` on `file`; returns it and its agent id.
    func startAgent(_ file: String) async throws -> (RunningProcess, String) {
        let agent = try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", file])
        let line = try await agent.waitForLine { $0.hasPrefix("trib agent ") && $0.contains(": ") || $0.contains("Error") }
        let id = try #require(line.hasPrefix("trib agent ") ? line.dropFirst("trib agent ".count).split(separator: ":").first.map(String.init) : nil,
                              "the agent did not start: \(agent.output)")
        return (agent, id)
    }

    /// A central configuration file in the node's directory.
    func centralFile(_ name: String, _ yaml: String) throws -> String {
        let path = node.directory.appendingPathComponent(name).path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `trib fleet config ARGUMENTS --node … --token (admin) --ca …`.
    func fleet(_ arguments: [String], http: Int) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribExecutable,
                              ["fleet", "config"] + arguments + ["--node", "https://127.0.0.1:\(http)", "--token", NodeHTTP.adminToken,
                                                                 "--ca", node.pki.caFile])
    }

    /// The group's status as the node's JSON says it.
    func status(_ group: String = "web", http: Int) throws -> [String: Any] {
        let response = try NodeHTTP.get(port: http, "/api/v1/fleet/config/\(group)", token: NodeHTTP.adminToken)
        guard response.status == 200 else { throw AgentSetupError.failed("status of \(group): \(response.status) \(response.body)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
    }

    /// Each agent's entry of a status, by agent id.
    static func agents(_ status: [String: Any]) -> [String: [String: Any]] {
        var byID: [String: [String: Any]] = [:]
        for agent in status["agents"] as? [[String: Any]] ?? [] {
            if let id = agent["agent"] as? String { byID[id] = agent }
        }
        return byID
    }

    static func number(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? -1 }
}
