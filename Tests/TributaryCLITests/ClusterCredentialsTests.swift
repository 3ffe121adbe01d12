import Foundation
import Testing
import TributaryTestSupport

/// Nodes given different tenants used to show as up while one of them
/// answered 401; and a node that was down showed SwiftNIO's error text.
extension AgentProcessTests {
@Suite struct ClusterCredentialsTests {
    @Test func nodesWithOtherTokensAreReportedAndADownNodeIsExplainedPlainly() async throws {
        let cluster = try ClusterSetup(["node-a"], replicationFactor: 1)
        try cluster.add("node-b", tenants: NodeSetup.tenants + """

              - name: globex
                tokens: ["only-on-node-b"]
            """)
        try cluster.writeTopology(replicationFactor: 1, epochs: [(nil, ["node-a", "node-b"])])
        try await cluster.startAll()

        // Repair passes (every 2 s) connect the nodes to each other.
        try await cluster.wait("node-a to see node-b's other credentials") {
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            return nodes.contains { $0["id"] as? String == "node-b" && $0["credentials_differ"] as? Bool == true }
        }
        let shown = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                          ["cluster", "status", "--node", "127.0.0.1:\(cluster.node("node-a").httpPort)",
                                           "--ca", cluster.pki.caFile, "--token", NodeHTTP.adminToken])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("TOKENS DIFFER: node-b"), "\(shown.stdout)")
        #expect(cluster.process("node-a")?.output.contains { $0.contains("node-b has other tenants, tokens or roles") } == true)
        // Both sides see it.
        try await cluster.wait("node-b to see node-a's") {
            let nodes = try cluster.status("node-b")["nodes"] as? [[String: Any]] ?? []
            return nodes.contains { $0["id"] as? String == "node-a" && $0["credentials_differ"] as? Bool == true }
        }

        await cluster.kill("node-b")
        try await cluster.wait("node-b down with a plain reason") {
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            guard let b = nodes.first(where: { $0["id"] as? String == "node-b" }), b["up"] as? Bool == false else { return false }
            return (b["error"] as? String)?.contains("connection refused") == true
        }
        let down = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
        let reason = down.first { $0["id"] as? String == "node-b" }?["error"] as? String ?? ""
        #expect(!reason.contains("NIOConnectionError") && !reason.contains("SingleConnectionFailure"), "\(reason)")
        #expect(reason.contains("not running, or not listening on its cluster.peer_listen"), "\(reason)")
        await cluster.stopAll()
    }
}
}
