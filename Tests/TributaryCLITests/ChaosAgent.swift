import Foundation
import TributaryTestSupport

/// A `trib agent` of the chaos test: its own directory beside the cluster's
/// (config, state, logs), every node of the cluster in `nodes:` so it fails
/// over, and a label `chaos_agent` naming it. Restartable on the same state.
final class ChaosAgent: @unchecked Sendable {
    let name: String
    let configFile: String
    let logDirectory: URL
    let stateDirectory: String
    private(set) var process: RunningProcess?
    private let lock = NSLock()

    init(name: String, cluster: ClusterSetup, files: [String]) throws {
        self.name = name
        let directory = cluster.directory.appendingPathComponent(name)
        logDirectory = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        stateDirectory = directory.appendingPathComponent("state").path
        configFile = directory.appendingPathComponent("agent.yaml").path
        let nodes = cluster.nodes.values.sorted { $0.id < $1.id }.map { "127.0.0.1:\($0.agentPort)" }
        let inputs = files.map { file in
            """
              - type: file
                name: \(file)
                paths: [\(logDirectory.path)/\(file).log*]
            """
        }.joined(separator: "\n")
        try """
            nodes: [\(nodes.joined(separator: ", "))]
            token: ${TRIB_TEST_TOKEN}
            tls:
              ca: \(cluster.pki.caFile)
            state_dir: \(stateDirectory)
            http_listen: 127.0.0.1:0
            batch:
              max_age: 200ms
            labels: {chaos_agent: \(name)}
            inputs:
            \(inputs)
            """.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// Starts the agent and waits until it serves HTTP.
    func start() async throws {
        let agent = try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", configFile])
        let line = try await agent.waitForLine { $0.contains("HTTP on http://") || $0.contains("Error") }
        guard line.contains("HTTP on http://") else { throw AgentSetupError.failed(agent.output.joined(separator: "\n")) }
        lock.withLock { process = agent }
    }

    func kill() async {
        guard let agent = lock.withLock({ process }) else { return }
        agent.signal(SIGKILL)
        _ = await agent.waitForExit(timeout: 10)
    }

    /// SIGTERM; the exit status, nil if it did not exit in time.
    func stop() async -> Int32? {
        guard let agent = lock.withLock({ process }) else { return nil }
        agent.signal(SIGTERM)
        return await agent.waitForExit(timeout: 20)
    }

    var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// The agent's last lines of output, for a failure message.
    var recentOutput: [String] { lock.withLock { Array(process?.output.suffix(20) ?? []) } }

    deinit {
        if let process, process.isRunning { process.signal(SIGKILL) }
    }
}
