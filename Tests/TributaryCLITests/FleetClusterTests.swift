import Foundation
import Testing
import TributaryModel
import TributaryTestSupport

/// Any node answers for the cluster's fleet: an agent connected to one
/// node, and the sources of its records, are listed by another; a node
/// that does not answer is named in `warnings`.
@Suite(.serialized) struct FleetClusterTests {
    @Test func anotherNodeListsTheAgentAndItsSourcesAndNamesANodeThatDoesNotAnswer() async throws {
        let ids = ["node-a", "node-b"]
        let setup = try ClusterSetup(ids, replicationFactor: 2, writeQuorum: 1)
        try await setup.startAll()
        do {
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            let labels = try Labels(["host": "switch-9", "source": "syslog"])
            let records = (0..<5).map { Record.log(LogRecord(timestamp: now + Int64($0), severity: .info, labels: labels, message: "link up \($0)")) }
            try await NodeQueryTests.send(records, port: setup.node("node-a").agentPort, caFile: setup.pki.caFile, agent: "fleet-cluster", size: 1)
            let askB = setup.node("node-b").httpPort
            try await setup.wait("node-b lists the agent connected to node-a") {
                let agents = try NodeHTTP.get(port: askB, "/api/v1/fleet").data["agents"] as? [[String: Any]] ?? []
                return agents.contains { $0["id"] as? String == "fleet-cluster" && $0["node"] as? String == "node-a" }
            }
            let sources = try NodeHTTP.get(port: askB, "/api/v1/fleet/sources").data["sources"] as? [[String: Any]] ?? []
            let source = try #require(sources.first { $0["key"] as? String == "syslog:switch-9" }, "\(sources)")
            #expect(source["records"] as? Int == 5)
            // Its own view alone knows nothing of it.
            let local = try NodeHTTP.get(port: askB, "/api/v1/fleet?local=true").data["agents"] as? [[String: Any]] ?? []
            #expect(local.isEmpty)

            await setup.kill("node-a")
            let answer = try NodeHTTP.get(port: askB, "/api/v1/fleet")
            #expect(answer.status == 200)
            let warnings = answer.json["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.contains("node-a") }, "\(answer.body)")
        } catch {
            await setup.stopAll()
            throw error
        }
        await setup.stopAll()
    }
}
