import Foundation
import Testing
import TributaryTestSupport

/// Topology changes with real node processes: a node added by a new epoch
/// while data flows, and nodes that disagree on the topology.
extension AgentProcessTests {
@Suite struct ClusterTopologyTests {
    static let minute: Int64 = 60_000_000_000

    static func hashes(_ cluster: ClusterSetup, asSeenBy id: String) throws -> Set<String> {
        let nodes = try cluster.status(id)["nodes"] as? [[String: Any]] ?? []
        return Set(nodes.filter { $0["up"] as? Bool == true }.compactMap { $0["topology_hash"] as? String })
    }

    @Test func aFourthNodeAddedMidStreamTakesLaterBucketsAndEarlierOnesStay() async throws {
        let ids = ["node-a", "node-b", "node-c"]
        let cluster = try ClusterSetup(ids, writeQuorum: 1)
        try await cluster.startAll()
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        // The epoch starts three buckets ahead; the stream crosses it at batch 150.
        let boundary = (now / Self.minute + 3) * Self.minute
        let sender = NumberedSender(caFile: cluster.pki.caFile) { boundary - 150_000_000_000 + Int64($0) * 1_000_000_000 }
        let from = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(boundary / 1_000_000_000)))
        var grown = false
        try await sender.send(Array(1...300), port: cluster.node("node-a").agentPort) { window in
            guard window == 6, !grown else { return }
            grown = true
            try cluster.add("node-d")
            try cluster.writeTopology(replicationFactor: 2, writeQuorum: 1, epochs: [(nil, ids), (from, ids + ["node-d"])])
            try await cluster.start("node-d")
            for id in ids { cluster.signal(id, SIGHUP) }
            try await cluster.wait("every node runs the new topology") {
                let seen = try Self.hashes(cluster, asSeenBy: "node-d")
                let nodes = try cluster.status("node-d")["nodes"] as? [[String: Any]] ?? []
                return seen.count == 1 && nodes.allSatisfy { $0["up"] as? Bool == true }
            }
        }
        #expect(grown)
        #expect(sender.acknowledged.count == 300)
        let end = String(boundary / 1_000_000_000 + 600)
        try ClusterFailureTests.expectCompleteEverywhere(cluster, sender, nodes: ids + ["node-d"], end: end)

        let partitions = try cluster.partitions("node-d")
        let onD = partitions.filter { ($0["copies"] as? [[String: Any]] ?? []).contains { $0["node"] as? String == "node-d" } }
        #expect(!onD.isEmpty, "node-d holds later buckets")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for partition in partitions {
            let start = formatter.date(from: partition["start"] as? String ?? "").map { Int64($0.timeIntervalSince1970) * 1_000_000_000 } ?? 0
            let replicas = partition["replicas"] as? [String] ?? []
            let holders = (partition["copies"] as? [[String: Any]] ?? []).compactMap { $0["node"] as? String }
            if start < boundary {
                #expect(!replicas.contains("node-d") && !holders.contains("node-d"), "earlier buckets never move: \(partition)")
                #expect(partition["shards"] as? Int == 3)
            } else {
                #expect(partition["shards"] as? Int == 4, "the new epoch cuts buckets into four shards")
            }
        }

        // An epoch that would re-cut buckets already written is refused, loudly.
        let written = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double((boundary - 2 * Self.minute) / 1_000_000_000)))
        try cluster.writeTopology(replicationFactor: 2, writeQuorum: 1, epochs: [(nil, ids), (written, ids + ["node-d"])])
        cluster.signal("node-a", SIGHUP)
        let refusal = try await cluster.process("node-a")!.waitForLine { $0.contains("cannot reload the topology") }
        #expect(refusal.contains("already holds in 3 shards"), "\(refusal)")
        try ClusterFailureTests.expectCompleteEverywhere(cluster, sender, nodes: ["node-a"], end: end)
        await cluster.stopAll()
    }

    @Test func aRemovedNodesPartitionsAreCopiedToTheirNewReplicas() async throws {
        let ids = ["node-a", "node-b", "node-c"]
        let cluster = try ClusterSetup(ids, writeQuorum: 1)
        try await cluster.startAll()
        let sender = ClusterFailureTests.sender(cluster)
        try await sender.send(Array(1...150), port: cluster.node("node-a").agentPort)
        try await cluster.wait("sealed and equal before the removal", timeout: 90) { try cluster.replicasAgree(asSeenBy: "node-a") }
        let onC = try cluster.partitions("node-a").filter { ($0["replicas"] as? [String] ?? []).contains("node-c") }
        #expect(!onC.isEmpty)

        let removed = try ProcessResult.run(RepositoryPaths.tribExecutable, ["cluster", "remove-node", "--topology", cluster.topologyFile, "--id", "node-c"])
        #expect(removed.status == 0, "\(removed.stderr)")
        _ = await cluster.stop("node-c")
        for id in ["node-a", "node-b"] { cluster.signal(id, SIGHUP) }
        try await cluster.wait("every partition on its new replicas with equal digests", timeout: 90) {
            let partitions = try cluster.partitions("node-a")
            let agree = try cluster.replicasAgree(asSeenBy: "node-a")
            return agree && partitions.allSatisfy { !($0["replicas"] as? [String] ?? []).contains("node-c") }
        }
        try ClusterFailureTests.expectCompleteEverywhere(cluster, sender, nodes: ["node-a", "node-b"])
        await cluster.stopAll()
    }

    @Test func nodesWithDifferentTopologiesRefuseEachOtherLoudlyUntilFixed() async throws {
        let ids = ["node-a", "node-b", "node-c"]
        let cluster = try ClusterSetup(ids, writeQuorum: 1)
        // node-c reads its own copy of the topology, with another quorum.
        let other = cluster.directory.appendingPathComponent("topology-c.yaml").path
        let config = cluster.node("node-c").configFile
        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "topology: topology.yaml", with: "topology: topology-c.yaml")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let shared = try String(contentsOfFile: cluster.topologyFile, encoding: .utf8)
        try shared.replacingOccurrences(of: "write_quorum: 1", with: "write_quorum: 2").write(toFile: other, atomically: true, encoding: .utf8)
        try await cluster.startAll()

        // Ten seconds apart: seven buckets of three shards, so some partitions
        // surely have node-c as a replica (and need hints for it).
        let sender = NumberedSender(caFile: cluster.pki.caFile) { ClusterFailureTests.base + Int64($0) * 10_000_000_000 }
        try await sender.send(Array(1...40), port: cluster.node("node-a").agentPort)
        #expect(sender.acknowledged.count == 40, "node-a and node-b keep the quorum of one")
        let needC = try cluster.partitions("node-a").filter { ($0["replicas"] as? [String] ?? []).contains("node-c") }
        #expect(!needC.isEmpty)
        try await cluster.wait("node-a's /readyz names the mismatch") {
            let ready = try NodeHTTP.get(port: cluster.node("node-a").httpPort, "/readyz", token: nil)
            return ready.status == 503 && ready.body.contains("topology mismatch with node-c")
        }
        let status = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
        #expect(status.contains { $0["id"] as? String == "node-c" && $0["topology_mismatch"] as? Bool == true }, "\(status)")
        #expect(status.contains { $0["id"] as? String == "node-c" && ($0["hints_pending"] as? Int ?? 0) > 0 }, "writes for node-c wait as hints")
        for id in ["node-a", "node-c"] {
            #expect(cluster.process(id)!.output.contains { $0.contains("topology") && $0.contains("error") }, "\(id) says so in its log")
        }

        // The operator gives node-c the shared file and sends SIGHUP.
        try shared.write(toFile: other, atomically: true, encoding: .utf8)
        cluster.signal("node-c", SIGHUP)
        try await cluster.wait("readiness back and hints delivered") {
            let ready = try NodeHTTP.get(port: cluster.node("node-a").httpPort, "/readyz", token: nil)
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            return ready.status == 200 && nodes.allSatisfy { ($0["hints_pending"] as? Int) == 0 }
        }
        try ClusterFailureTests.expectCompleteEverywhere(cluster, sender, end: String(Int(Date().timeIntervalSince1970) + 600))
        await cluster.stopAll()
    }
}
}
