import Foundation
import Testing
import TributaryModel
import TributaryTestSupport

/// Rule groups in a cluster: one owner per group, and the group's alert
/// state survives the owner's death.
@Suite(.serialized) struct ClusterAlertingTests {
    static func owner(_ setup: ClusterSetup, asSeenBy id: String) throws -> String? {
        let rules = try NodeHTTP.get(port: setup.node(id).httpPort, "/api/v1/rules").json
        let groups = (rules["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        return groups.first?["evaluatedBy"] as? String
    }

    @Test func evaluatingNodeKilledMidForStillFiresOnceFromTheNewOwnerWithTheOriginalActiveAt() async throws {
        let hook = try WebhookReceiver()
        let ids = ["node-a", "node-b", "node-c"]
        let setup = try ClusterSetup(ids, replicationFactor: 3, writeQuorum: 2, extraNode: """
            rules: [rules.yaml]
            alerting:
              max_backoff: 1s
              webhooks: [http://127.0.0.1:\(hook.port)/hook]
            """)
        try AlertingProcessTests.rules.replacingOccurrences(of: "FOR", with: "12s")
            .write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        try await setup.startAll()
        do {
            try await killOwnerMidFor(setup, ids: ids, hook: hook)
        } catch {
            await setup.stopAll()
            throw error
        }
        await setup.stopAll()
    }

    @Test func aFiringAlertThatEndsWhileItsOwnerIsDeadIsResolvedOnceByTheNewOwner() async throws {
        let hook = try WebhookReceiver()
        let ids = ["node-a", "node-b", "node-c"]
        let setup = try ClusterSetup(ids, replicationFactor: 3, writeQuorum: 2, extraNode: """
            rules: [rules.yaml]
            alerting:
              max_backoff: 1s
              webhooks: [http://127.0.0.1:\(hook.port)/hook]
            """)
        try AlertingProcessTests.rules.replacingOccurrences(of: "FOR", with: "0s")
            .write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        try await setup.startAll()
        do {
            var owner = ""
            try await setup.wait("one owner of the group agreed by all nodes") {
                let owners = try ids.map { try Self.owner(setup, asSeenBy: $0) }
                guard let first = owners.first ?? nil, owners.allSatisfy({ $0 == first }) else { return false }
                owner = first
                return true
            }
            let others = ids.filter { $0 != owner }
            let ingest = setup.node(others[0])
            try await NodeQueryTests.send([try AlertingProcessTests.memory(500)], port: ingest.agentPort, caFile: setup.pki.caFile, agent: "cluster-resolve")
            try await hook.wait("the firing notification") { $0.contains { AlertingProcessTests.status($0) == "firing" } }
            try await Task.sleep(for: .seconds(2))
            await setup.kill(owner)
            // The memory falls while no node evaluates the group.
            try await NodeQueryTests.send([try AlertingProcessTests.memory(1)], port: ingest.agentPort, caFile: setup.pki.caFile,
                                          agent: "cluster-resolve", firstSequence: 2)
            try await hook.wait("the resolved notification from the new owner") { $0.contains { AlertingProcessTests.status($0) == "resolved" } }
            try await Task.sleep(for: .seconds(3))
            #expect(hook.requests.map(AlertingProcessTests.status) == ["firing", "resolved"],
                    "\(hook.requests.map { String(decoding: $0.body, as: UTF8.self) })")
            for id in others { #expect(try AlertingProcessTests.alerts(setup.node(id).httpPort).isEmpty, "as listed by \(id)") }
        } catch {
            await setup.stopAll()
            throw error
        }
        await setup.stopAll()
    }

    private func killOwnerMidFor(_ setup: ClusterSetup, ids: [String], hook: WebhookReceiver) async throws {
        // Every node agrees on one owner once all see each other.
        var owner = ""
        try await setup.wait("one owner of the group agreed by all nodes") {
            let owners = try ids.map { try Self.owner(setup, asSeenBy: $0) }
            guard let first = owners.first ?? nil, owners.allSatisfy({ $0 == first }) else { return false }
            owner = first
            return true
        }
        let others = ids.filter { $0 != owner }
        let ingest = setup.node(others[0])
        try await NodeQueryTests.send([try AlertingProcessTests.memory(500)], port: ingest.agentPort, caFile: setup.pki.caFile, agent: "cluster-alerts")

        var activeAt = ""
        try await setup.wait("the alert pending on \(owner)") {
            let alerts = try AlertingProcessTests.alerts(setup.node(owner).httpPort)
            guard alerts.count == 1, alerts[0]["state"] as? String == "pending", let time = alerts[0]["activeAt"] as? String else { return false }
            activeAt = time
            return true
        }
        // Give the state a few evaluations to be stored, well within `for`.
        try await Task.sleep(for: .seconds(2))
        #expect(AlertingProcessTests.state(try AlertingProcessTests.alerts(setup.node(owner).httpPort)) == ["pending"])
        await setup.kill(owner)

        var successor = ""
        try await setup.wait("a new owner among the survivors") {
            let owners = try others.map { try Self.owner(setup, asSeenBy: $0) }
            guard let first = owners.first ?? nil, first != owner, owners.allSatisfy({ $0 == first }) else { return false }
            successor = first
            return true
        }
        try await hook.wait("the firing notification", timeout: 60) { $0.contains { AlertingProcessTests.status($0) == "firing" } }
        let alerts = try AlertingProcessTests.alerts(setup.node(successor).httpPort)
        #expect(AlertingProcessTests.state(alerts) == ["firing"])
        #expect(alerts.first?["activeAt"] as? String == activeAt, "the new owner restarted the `for` timer")
        // Fired once the original timer ran out, not 12 s after the move.
        let firedAt = try #require(alerts.first?["firedAt"] as? String)
        #expect(firedAt >= activeAt)
        try await Task.sleep(for: .seconds(3))
        let firing = hook.requests.filter { AlertingProcessTests.status($0) == "firing" }
        #expect(firing.count == 1, "\(hook.requests.map { String(decoding: $0.body, as: UTF8.self) })")
        // Any node lists it: the others ask the owner.
        for id in others {
            let listed = try AlertingProcessTests.alerts(setup.node(id).httpPort)
            #expect(AlertingProcessTests.state(listed) == ["firing"], "as listed by \(id)")
            #expect(listed.first?["activeAt"] as? String == activeAt)
        }
        let sent = try #require((firing.first?.json?["alerts"] as? [[String: Any]])?.first)
        #expect((sent["labels"] as? [String: String])?["alertname"] == "MemoryHigh")
    }
}
