import Foundation
import Testing
import TributaryFreePort
import TributaryNode
import TributaryTestSupport

/// A node's directory for a process test: a CA, the node's certificate,
/// `node.yaml` (TLS, tenant `acme` with token `token-for-acme` and an
/// admin token, `NodeHTTP.adminToken`; free ports)
/// plus `extra` YAML, and a way to start `trib node` on it.
final class NodeSetup: Sendable {
    let pki: TestCertificates
    let directory: URL
    let configFile: String

    /// - Parameter port: the agent port; 0 picks a free one at each start,
    ///   a fixed one lets agents find the node again after a restart.
    /// - Parameters:
    ///   - tlsExtra: YAML lines added inside `tls:` (indented by the caller as `  key: value`).
    ///   - tenants: the whole `tenants:` list's items, replacing tenant `acme`.
    init(extra: String = "", port: Int = 0, tlsExtra: String = "", tenants: String? = nil) throws {
        // The token the config reads from the environment (and the node
        // subprocess inherits).
        setenv("TRIB_TEST_TOKEN", "token-for-acme", 1)
        pki = try TestCertificates()
        try pki.issue("node-a")
        directory = pki.directory
        configFile = directory.appendingPathComponent("node.yaml").path
        let yaml = """
            node_id: node-a
            listen: 127.0.0.1:\(port)
            http_listen: 127.0.0.1:0
            data_dir: data
            tls:
              certificate: node-a.pem
              key: node-a.key\(tlsExtra.isEmpty ? "" : "\n" + tlsExtra)
            tenants:
            \(tenants ?? Self.tenants)
            \(extra)
            """
        try yaml.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// Tenant `acme`: `token-for-acme` (ingest and query) and `NodeHTTP.adminToken` (admin).
    static let tenants = """
          - name: acme
            tokens: ["${TRIB_TEST_TOKEN}", {token: \(NodeHTTP.adminToken), roles: [admin]}]
        """

    /// A port that was free a moment ago (for a node that must keep its port across restarts).
    static func freePort() throws -> Int { try FreePort.find() }

    var dataDirectory: String { directory.appendingPathComponent("data").path }

    func start() async throws -> (RunningProcess, Int) {
        let (node, port, _) = try await startWithHTTP()
        return (node, port)
    }

    /// The process, its agent port and its HTTP port.
    func startWithHTTP() async throws -> (RunningProcess, Int, Int) {
        let node = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", configFile])
        let line = try await node.waitForLine { $0.contains("accepting agents on") }
        let address = line.components(separatedBy: "accepting agents on ")[1].split(separator: " ")[0]
        let port = try #require(Int(address.split(separator: ":").last ?? ""), "no port in \(line)")
        let httpPort = try await NodeHTTP.waitForAPI(node, ca: pki.caFile)
        return (node, port, httpPort)
    }
}

