import Foundation
import Testing
import TributaryTestSupport

/// An agent beside a `NodeSetup`: `agent.yaml` in the same directory
/// (TLS with the node's CA, the tenant token, state in `agent-state`,
/// the given inputs), and a way to start `trib agent` on it.
final class AgentSetup: Sendable {
    let node: NodeSetup
    let configFile: String
    let logDirectory: URL

    /// - Parameters:
    ///   - nodePort: the node's fixed agent port.
    ///   - inputs: YAML list items under `inputs:` (indented by 2); `LOGS` is replaced by the log directory.
    init(node: NodeSetup, nodePort: Int, inputs: String, extra: String = "", ca: String = "ca.pem") throws {
        self.node = node
        logDirectory = node.directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        configFile = node.directory.appendingPathComponent("agent.yaml").path
        let yaml = """
            nodes: [127.0.0.1:\(nodePort)]
            token: ${TRIB_TEST_TOKEN}
            tls:
              ca: \(ca)
            state_dir: agent-state
            http_listen: 127.0.0.1:0
            batch:
              max_age: 200ms
            labels: {env: test}
            \(extra)
            inputs:
            \(inputs.replacingOccurrences(of: "LOGS", with: logDirectory.path))
            """
        try yaml.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    var stateDirectory: String { node.directory.appendingPathComponent("agent-state").path }

    /// The process and its HTTP port, once it is up: `trib agent`, or the
    /// agent-only executable `trib-agent` when `lean`.
    func start(lean: Bool = false) async throws -> (RunningProcess, Int) {
        let agent = lean
            ? try RunningProcess(RepositoryPaths.tribAgentExecutable, ["--config", configFile])
            : try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", configFile])
        let line = try await agent.waitForLine { $0.contains("HTTP on http://") || $0.contains("Error") }
        guard line.contains("HTTP on http://") else { throw AgentSetupError.failed(agent.output.joined(separator: "\n")) }
        let address = line.components(separatedBy: "HTTP on http://")[1].split(separator: " ")[0]
        let port = try #require(Int(address.split(separator: ":").last ?? ""), "no port in \(line)")
        return (agent, port)
    }

    /// The ports an input printed: `input NAME: syslog udp 1234, tcp 5678`.
    static func ports(of agent: RunningProcess, input: String) async throws -> [String: Int] {
        let line = try await agent.waitForLine { $0.contains("input \(input):") }
        let list = line.components(separatedBy: "input \(input): ")[1].split(separator: " ", maxSplits: 1)[1]
        var ports: [String: Int] = [:]
        for item in list.split(separator: ",") {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: " ")
            if parts.count == 2, let port = Int(parts[1]) { ports[String(parts[0])] = port }
        }
        return ports
    }

    /// Lines the node returns for `query` (newest first), up to `limit`.
    static func lines(http: Int, _ query: String, limit: Int = 1_000_000) throws -> [[String: Any]] {
        let response = try NodeHTTP.query(port: http, query, ["limit": String(limit)])
        guard response.status == 200 else { throw AgentSetupError.failed("query \(query): \(response.status) \(response.body)") }
        return response.lines
    }

    static func eventually(_ what: String, seconds: Double = 60, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        if try condition() { return }
        throw AgentSetupError.failed("timed out waiting for \(what)")
    }

    /// GET on the agent's own HTTP port.
    static func agentPage(_ port: Int, _ path: String) throws -> String {
        NodeHTTP.forget(port: port)
        return try NodeHTTP.get(port: port, path, token: nil).body
    }

    /// The value of `name{label="value"}` on a /metrics page.
    static func metric(_ page: String, _ series: String) -> Int? {
        for line in page.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Int(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}

enum AgentSetupError: Error, CustomStringConvertible {
    case failed(String)
    var description: String {
        switch self {
        case .failed(let detail): return detail
        }
    }
}
