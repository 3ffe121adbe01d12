import Foundation
import Testing
import TributaryTestSupport

/// A cluster of real `trib node` processes on loopback for process tests:
/// one CA, a certificate per node, a shared `topology.yaml`, a config and
/// data directory per node, fixed ports (so restarts keep them), and
/// helpers to start, kill, wipe and ask the nodes.
final class ClusterSetup: @unchecked Sendable {
    struct Node {
        let id: String
        let agentPort: Int
        let httpPort: Int
        let peerPort: Int
        let configFile: String
        let dataDirectory: String
    }

    let pki: TestCertificates
    let directory: URL
    let topologyFile: String
    private(set) var nodes: [String: Node] = [:]
    /// YAML lines added under every node's `storage:` (indented by 2).
    private let extraStorage: String
    private var processes: [String: RunningProcess] = [:]
    private let lock = NSLock()

    /// - Parameters:
    ///   - ids: the nodes; all in the first epoch unless `laterNodes` says otherwise.
    ///   - extraNode: YAML added to every node's configuration.
    ///   - tenants: the `tenants:` list's items (default: `NodeSetup.tenants`).
    ///   - extraStorage: YAML lines added under every node's `storage:`.
    init(_ ids: [String], replicationFactor: Int = 2, writeQuorum: Int? = nil, span: String = "1m", extraNode: String = "",
         tenants: String = NodeSetup.tenants, extraStorage: String = "") throws {
        setenv("TRIB_TEST_TOKEN", "token-for-acme", 1)
        self.extraStorage = extraStorage
        pki = try TestCertificates()
        directory = pki.directory
        topologyFile = directory.appendingPathComponent("topology.yaml").path
        for id in ids { try add(id, extraNode: extraNode, tenants: tenants) }
        try writeTopology(replicationFactor: replicationFactor, writeQuorum: writeQuorum, span: span, epochs: [(nil, ids)])
    }

    /// Adds a node's certificate, ports and configuration (not to the topology).
    func add(_ id: String, extraNode: String = "", tenants: String = NodeSetup.tenants) throws {
        try pki.issue(id)
        let node = Node(id: id, agentPort: try NodeSetup.freePort(), httpPort: try NodeSetup.freePort(), peerPort: try NodeSetup.freePort(),
                        configFile: directory.appendingPathComponent("\(id).yaml").path,
                        dataDirectory: directory.appendingPathComponent("data-\(id)").path)
        try """
            node_id: \(id)
            listen: 127.0.0.1:\(node.agentPort)
            http_listen: 127.0.0.1:\(node.httpPort)
            data_dir: data-\(id)
            tls:
              certificate: \(id).pem
              key: \(id).key
              ca: ca.pem
            tenants:
            \(tenants)
            storage:
              flush_interval: 200ms
              seal_grace: 2s
            \(extraStorage)
            cluster:
              topology: topology.yaml
              peer_listen: 127.0.0.1:\(node.peerPort)
              request_timeout: 2s
              repair_interval: 2s
            \(extraNode)
            """.write(toFile: node.configFile, atomically: true, encoding: .utf8)
        nodes[id] = node
        NodeHTTP.trust(port: node.httpPort, ca: pki.caFile)
    }

    /// Writes `topology.yaml`: every node added so far, and the epochs
    /// (`from` as RFC 3339, nil for the first).
    func writeTopology(replicationFactor: Int = 2, writeQuorum: Int? = nil, span: String = "1m", epochs: [(String?, [String])]) throws {
        var text = "replication_factor: \(replicationFactor)\n"
        if let writeQuorum { text += "write_quorum: \(writeQuorum)\n" }
        text += "partition_span: \(span)\nnodes:\n"
        for node in nodes.values.sorted(by: { $0.id < $1.id }) {
            text += "  - {id: \(node.id), peer: 127.0.0.1:\(node.peerPort), agent: 127.0.0.1:\(node.agentPort), http: 127.0.0.1:\(node.httpPort)}\n"
        }
        text += "epochs:\n"
        for (from, members) in epochs {
            text += "  - " + (from.map { "from: \($0)\n    " } ?? "") + "nodes: [\(members.joined(separator: ", "))]\n"
        }
        try text.write(toFile: topologyFile, atomically: true, encoding: .utf8)
    }

    func node(_ id: String) -> Node { nodes[id]! }

    func process(_ id: String) -> RunningProcess? { lock.withLock { processes[id] } }

    /// Starts `trib node` for `id` and waits until it listens.
    @discardableResult
    func start(_ id: String) async throws -> RunningProcess {
        let process = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", node(id).configFile])
        _ = try await process.waitForLine { $0.contains("cluster peers on") }
        lock.withLock { processes[id] = process }
        return process
    }

    func startAll() async throws {
        for id in nodes.keys.sorted() { try await start(id) }
    }

    func kill(_ id: String) async {
        guard let process = process(id) else { return }
        process.signal(SIGKILL)
        _ = await process.waitForExit(timeout: 10)
    }

    func stop(_ id: String) async -> Int32? {
        guard let process = process(id) else { return nil }
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: 20)
    }

    func stopAll() async {
        for id in nodes.keys.sorted() { _ = await stop(id) }
    }

    func signal(_ id: String, _ signal: Int32) {
        process(id)?.signal(signal)
    }

    func wipe(_ id: String) throws {
        try? FileManager.default.removeItem(atPath: node(id).dataDirectory)
    }

    /// `GET /api/v1/cluster` of `id`.
    func status(_ id: String) throws -> [String: Any] {
        try NodeHTTP.get(port: node(id).httpPort, "/api/v1/cluster", token: NodeHTTP.adminToken).json
    }

    /// Every partition in `id`'s status with its copies.
    func partitions(_ id: String) throws -> [[String: Any]] {
        try status(id)["partitions"] as? [[String: Any]] ?? []
    }

    /// Waits until `condition` holds, checking every 250 ms.
    func wait(_ what: String, timeout: Double = 60, until condition: () throws -> Bool) async throws {
        let deadline = Date() + timeout
        while true {
            if (try? condition()) == true { return }
            guard Date() < deadline else {
                Issue.record("timed out after \(timeout) s waiting for \(what)")
                throw ClusterSetupError.timedOut(what)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Whether every partition is sealed on each of its replicas with the
    /// same digest (and held by no other node).
    func replicasAgree(asSeenBy id: String) throws -> Bool {
        let partitions = try partitions(id)
        guard !partitions.isEmpty else { return false }
        for partition in partitions {
            let replicas = Set(partition["replicas"] as? [String] ?? [])
            let copies = partition["copies"] as? [[String: Any]] ?? []
            guard Set(copies.compactMap { $0["node"] as? String }) == replicas,
                  copies.allSatisfy({ $0["sealed"] as? Bool == true }),
                  Set(copies.compactMap { $0["sha256"] as? String }).count == 1 else { return false }
        }
        return true
    }

    deinit {
        for process in processes.values where process.isRunning { process.signal(SIGKILL) }
    }
}

enum ClusterSetupError: Error {
    case timedOut(String)
}
