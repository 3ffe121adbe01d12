import Foundation
import Testing
import TributaryCluster
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Three `trib node` processes (RF=2) on loopback with mutual TLS, test
/// clients sending uniquely numbered lines: nodes die, come back empty, or
/// are cut off, and nothing acknowledged is lost or duplicated.
extension AgentProcessTests {
@Suite struct ClusterFailureTests {
    /// Five minutes ago, so the one-minute buckets end and seal during the test.
    static let base = (Int64(Date().timeIntervalSince1970) - 300) * 1_000_000_000
    static let ids = ["node-a", "node-b", "node-c"]

    static func sender(_ cluster: ClusterSetup) -> NumberedSender {
        NumberedSender(caFile: cluster.pki.caFile) { base + Int64($0) * 600_000_000 }
    }

    /// Every node answers the whole range with every acknowledged line once.
    /// With `exact: false` (mid-stream, when batches may be stored but not
    /// yet acknowledged) the answer must hold every acknowledged line.
    static func expectCompleteEverywhere(_ cluster: ClusterSetup, _ sender: NumberedSender, nodes: [String] = ids, exact: Bool = true,
                                         end: String? = nil) throws {
        for id in nodes {
            var parameters = ["limit": "100000", "start": "1h", "direction": "forward"]
            if let end { parameters["end"] = end }
            let response = try NodeHTTP.query(port: cluster.node(id).httpPort, #"{source="cluster-test"}"#, parameters)
            #expect(response.status == 200, "\(response.body.prefix(300))")
            #expect(response.json["partial"] as? Bool == false, "\(id): \(response.json["missing"] ?? "")")
            let numbers = NumberedSender.numbers(response)
            #expect(numbers.count == Set(numbers).count, "\(id) returned duplicates")
            if numbers.count != Set(numbers).count, ProcessInfo.processInfo.environment["TRIB_DEBUG_DUPLICATES"] != nil {
                var seen = Set<Int>()
                let dupes = numbers.filter { !seen.insert($0).inserted }
                print("DEBUG \(id) duplicates", dupes.prefix(40))
                print("DEBUG status", String(data: try JSONSerialization.data(withJSONObject: try cluster.status(id)), encoding: .utf8)!)
                for node in cluster.nodes.keys.sorted() { print("DEBUG out \(node)", cluster.process(node)?.output.suffix(30) ?? []) }
            }
            if exact {
                #expect(numbers.sorted() == sender.expectedNumbers, "\(id): \(numbers.count) lines, \(sender.expectedNumbers.count) acknowledged")
            } else {
                #expect(Set(numbers).isSuperset(of: sender.expectedNumbers), "\(id): \(numbers.count) lines, \(sender.expectedNumbers.count) acknowledged")
            }
        }
    }

    /// A time a minute-bucket apart from `base` (going back) at which
    /// batch 1 of a sender has a record whose partition `node` replicates.
    static func base(whereABatchReaches node: String, topology: Topology, caFile: String) throws -> Int64 {
        for bucket in 0..<200 {
            let start = base - Int64(bucket) * 60_000_000_000
            let probe = NumberedSender(caFile: caFile) { start + Int64($0) * 600_000_000 }
            guard case .batch(let batch) = try probe.batch(1) else { continue }
            let records = try BatchDecoder().decode(batch)
            if records.contains(where: { record in
                topology.replicas(of: topology.partition(tenant: "acme", timestamp: record.timestamp, streamID: record.labels.streamID)).contains(node)
            }) {
                return start
            }
        }
        throw ClusterPlacementError.noBucketReaches(node)
    }

    /// What a failed hint expectation needs to be understood afterwards:
    /// node-a's cluster counters and the last lines every node logged.
    static func diagnosis(_ cluster: ClusterSetup, _ metrics: String) -> String {
        let counters = metrics.split(separator: "\n").filter { $0.hasPrefix("tributary_cluster_") }.joined(separator: "\n")
        let logs = cluster.nodes.keys.sorted().map { id in
            "--- \(id):\n" + (cluster.process(id)?.output.suffix(25).joined(separator: "\n") ?? "(not running)")
        }
        return counters + "\n" + logs.joined(separator: "\n")
    }

    @Test func killNineOfOneNodeDuringIngestLosesNothingAndHintsAndRepairConverge() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        try await cluster.startAll()
        let sender = Self.sender(cluster)
        var restarted = false
        try await sender.send(Array(1...300), port: cluster.node("node-a").agentPort) { window in
            if window == 10 { await cluster.kill("node-c") }
            if window == 25, !restarted {
                restarted = true
                try await cluster.start("node-c")
            }
        }
        #expect(sender.acknowledged.count == 300)
        // Hints for node-c were kept while it was down, and replayed.
        let counters = try NodeHTTP.get(port: cluster.node("node-a").httpPort, "/metrics").body
        let hinted = counters.contains("tributary_cluster_hints_written_total") && !counters.contains("tributary_cluster_hints_written_total 0\n")
        #expect(hinted, "\(Self.diagnosis(cluster, counters))")
        try await cluster.wait("node-a's hints for node-c replayed") {
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            return nodes.allSatisfy { ($0["hints_pending"] as? Int) == 0 }
        }
        try Self.expectCompleteEverywhere(cluster, sender)
        try await cluster.wait("every partition sealed with equal digests on its replicas", timeout: 90) {
            try cluster.replicasAgree(asSeenBy: "node-b")
        }
        await cluster.stopAll()
    }

    @Test func aWipedNodeGetsItsPartitionsBackByRepair() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        try await cluster.startAll()
        let sender = Self.sender(cluster)
        try await sender.send(Array(1...200), port: cluster.node("node-a").agentPort)
        try await cluster.wait("partitions sealed and equal before the wipe", timeout: 90) { try cluster.replicasAgree(asSeenBy: "node-a") }
        let before = try cluster.partitions("node-a").filter { ($0["replicas"] as? [String] ?? []).contains("node-b") }
        #expect(!before.isEmpty)

        #expect(await cluster.stop("node-b") == 0)
        try cluster.wipe("node-b")
        try await cluster.start("node-b")
        try await cluster.wait("repair restores node-b's partitions with the same digests", timeout: 90) {
            try cluster.replicasAgree(asSeenBy: "node-b")
        }
        let repairNow = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                              ["cluster", "repair", "--node", "127.0.0.1:\(cluster.node("node-b").httpPort)",
                                               "--ca", cluster.pki.caFile, "--token", NodeHTTP.adminToken])
        #expect(repairNow.status == 0 && repairNow.stdout.contains("repaired_partitions"), "\(repairNow.stderr)")
        let shown = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                          ["cluster", "status", "--node", "127.0.0.1:\(cluster.node("node-b").httpPort)", "--partitions",
                                           "--ca", cluster.pki.caFile, "--token", NodeHTTP.adminToken])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("node-a") && shown.stdout.contains("up") && shown.stdout.contains("acme"), "\(shown.stdout)")
        #expect(shown.stdout.contains("records copied"), "\(shown.stdout)")
        let repaired = try cluster.status("node-b")["repair"] as? [String: Any] ?? [:]
        #expect((repaired["copied_records"] as? Int ?? 0) > 0, "\(repaired)")
        let held = try cluster.partitions("node-b").filter { partition in
            (partition["copies"] as? [[String: Any]] ?? []).contains { $0["node"] as? String == "node-b" }
        }
        #expect(Set(held.compactMap { $0["name"] as? String }) == Set(before.compactMap { $0["name"] as? String }))
        try Self.expectCompleteEverywhere(cluster, sender)
        await cluster.stopAll()
    }

    @Test func queriesAreCompleteWhileAReplicaLivesAndSayPartialWhenNoneDoes() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        try await cluster.startAll()
        // Three seconds apart over eight buckets: some partitions surely have
        // both replicas on node-b and node-c.
        let start = (Int64(Date().timeIntervalSince1970) - 500) * 1_000_000_000
        let sender = NumberedSender(caFile: cluster.pki.caFile) { start + Int64($0) * 3_000_000_000 }
        try await sender.send(Array(1...150), port: cluster.node("node-a").agentPort)

        await cluster.kill("node-c")
        // Every partition has a replica on node-a or node-b.
        try Self.expectCompleteEverywhere(cluster, sender, nodes: ["node-a", "node-b"])

        await cluster.kill("node-b")
        let response = try NodeHTTP.query(port: cluster.node("node-a").httpPort, #"{source="cluster-test"}"#,
                                          ["limit": "100000", "start": "1h", "direction": "forward"])
        #expect(response.status == 200)
        #expect(response.json["partial"] as? Bool == true)
        let missing = response.json["missing"] as? [[String: Any]] ?? []
        #expect(!missing.isEmpty)
        let warnings = response.json["warnings"] as? [String] ?? []
        #expect(warnings.first?.hasPrefix("partial result: no replica answered") == true, "\(warnings)")
        // What is there is exactly the partitions held by node-a.
        let numbers = NumberedSender.numbers(response)
        #expect(numbers.count == Set(numbers).count)
        #expect(numbers.count < sender.expectedNumbers.count)
        // Missing ranges are whole buckets with the shards neither b nor c could answer.
        for range in missing {
            #expect(range["start"] as? String != nil && range["end"] as? String != nil && range["missing_shards"] as? [Int] != nil, "\(range)")
        }
        let metric = try NodeHTTP.query(port: cluster.node("node-a").httpPort, "count_over_time(nothing[1m])", ["start": "1h", "step": "1m"])
        #expect(metric.json["partial"] as? Bool == true, "metric queries say so too: \(metric.body.prefix(300))")
        await cluster.stopAll()
    }

    @Test func withoutAWriteQuorumTheAgentGetsARetryableNackAndLaterItsAck() async throws {
        let cluster = try ClusterSetup(Self.ids)  // RF 2, quorum 2 (the default majority)
        try await cluster.startAll()
        await cluster.kill("node-c")
        let client = try await WireTestClient.connect(port: cluster.node("node-a").agentPort, caFile: cluster.pki.caFile)
        // Placement depends on the time: the batch must touch a partition
        // node-c is a replica of, or a and b make the quorum on their own.
        let start = try Self.base(whereABatchReaches: "node-c", topology: Topology.load(path: cluster.topologyFile), caFile: cluster.pki.caFile)
        let sender = NumberedSender(caFile: cluster.pki.caFile) { start + Int64($0) * 600_000_000 }
        try await client.send(.hello(Hello(agentID: sender.agentID, token: Array("token-for-acme".utf8), capabilities: .deflate,
                                           software: TributaryVersion.software, host: "test")))
        try await client.send(try sender.batch(1))
        try await client.wait("a NACK") { frames in frames.contains { if case .nack = $0 { return true } else { return false } } }
        guard case .nack(let nack)? = client.frames.first(where: { if case .nack = $0 { return true } else { return false } }) else { return }
        #expect(nack.disposition == .retry && nack.code == .noQuorum, "\(nack)")
        #expect(nack.reason.contains("node-c"), "\(nack.reason)")
        await client.close()

        try await cluster.start("node-c")
        try await sender.send([1], port: cluster.node("node-a").agentPort)
        #expect(sender.acknowledged == [1])
        try Self.expectCompleteEverywhere(cluster, sender)
        await cluster.stopAll()
    }

    /// A coordinator acknowledges no batch its own copy missed. node-c, with
    /// ingest paused (its `storage.max_disk_bytes` reached, as a full disk
    /// does), coordinates a batch whose partitions node-a or node-b can hold
    /// alone (write quorum 1). A node keeps no hint for itself and answers
    /// queries from its own copy first, so an ACK here left node-c's answers
    /// without the lines until repair (the chaos test's loss); it must answer
    /// BUSY. Once node-c stores again the batch is acknowledged and every
    /// node answers it once.
    @Test func aCoordinatorWhoseOwnCopyFailsAcknowledgesNothingItsAnswersWouldLack() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        let configFile = cluster.node("node-c").configFile
        let config = try String(contentsOfFile: configFile, encoding: .utf8)
        try config.replacingOccurrences(of: "  seal_grace: 2s\n", with: "  seal_grace: 2s\n  max_disk_bytes: 1\n")
            .write(toFile: configFile, atomically: true, encoding: .utf8)
        // Something on node-c's data directory already, so its limit is reached.
        let dataDirectory = cluster.node("node-c").dataDirectory
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try Data(count: 4096).write(to: URL(fileURLWithPath: dataDirectory + "/filler"))
        try await cluster.startAll()
        try await cluster.wait("node-c pauses ingest") {
            let ready = try NodeHTTP.get(port: cluster.node("node-c").httpPort, "/readyz", token: nil)
            return ready.status == 503 && ready.body.contains("disk limit")
        }
        let start = try Self.base(whereABatchReaches: "node-c", topology: Topology.load(path: cluster.topologyFile), caFile: cluster.pki.caFile)
        let sender = NumberedSender(caFile: cluster.pki.caFile) { start + Int64($0) * 600_000_000 }
        let port = cluster.node("node-c").agentPort
        let client = try await WireTestClient.connect(port: port, caFile: cluster.pki.caFile)
        try await client.send(.hello(Hello(agentID: sender.agentID, token: Array("token-for-acme".utf8), capabilities: .deflate,
                                           software: TributaryVersion.software, host: "test")))
        try await client.send(try sender.batch(1))
        try await client.wait("an answer to batch 1") { frames in
            client.acknowledged(among: [1]) == [1] || frames.contains { frame in
                switch frame {
                case .busy(let busy): return busy.sequence == 1
                case .nack(let nack): return nack.sequence == 1
                default: return false
                }
            }
        }
        let acknowledged = client.acknowledged(among: [1])
        let busy = client.frames.compactMap { frame -> Busy? in if case .busy(let busy) = frame { busy } else { nil } }.first
        #expect(acknowledged.isEmpty, "node-c acknowledged a batch its own copy did not store")
        #expect(busy?.reason.contains("node-c") == true, "\(client.frames)")
        await client.close()
        // Whatever was acknowledged, every node must answer (the replicas
        // that stored the unacknowledged batch may show it already).
        sender.assume(acknowledged)
        try Self.expectCompleteEverywhere(cluster, sender, exact: false)

        #expect(await cluster.stop("node-c") == 0)
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
        try await cluster.start("node-c")
        try await sender.send([1, 2], port: port)
        #expect(sender.acknowledged == [1, 2])
        try await cluster.wait("hints replayed on every node") {
            try Self.ids.allSatisfy { id in
                (try cluster.status(id)["nodes"] as? [[String: Any]] ?? []).allSatisfy { ($0["hints_pending"] as? Int) == 0 }
            }
        }
        try Self.expectCompleteEverywhere(cluster, sender)
        await cluster.stopAll()
    }

    /// node-c misses writes while it is stopped; node-a, which coordinated
    /// them, keeps the hints, and its replay is held back (an hour's
    /// `hint_replay_interval`, as a long cut between node-a and node-c's
    /// peer port would). node-c's own copy lacks those lines and only its
    /// peers know: it used to read its own copy first and answer without
    /// them. Its queries must return every acknowledged line.
    @Test func aNodeWhosePeersKeepHintsForItStillAnswersEveryAcknowledgedLine() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        for id in ["node-a", "node-b"] {
            let file = cluster.node(id).configFile
            let config = try String(contentsOfFile: file, encoding: .utf8)
            try config.replacingOccurrences(of: "  repair_interval: 2s\n", with: "  repair_interval: 2s\n  hint_replay_interval: 1h\n")
                .write(toFile: file, atomically: true, encoding: .utf8)
        }
        try await cluster.startAll()
        let sender = Self.sender(cluster)
        let port = cluster.node("node-a").agentPort
        try await sender.send(Array(1...20), port: port)
        #expect(await cluster.stop("node-c") == 0)
        try await sender.send(Array(21...120), port: port)
        #expect(sender.acknowledged.count == 120)
        try await cluster.start("node-c")

        func hintsForNodeC() throws -> Int {
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            return nodes.first { $0["id"] as? String == "node-c" }?["hints_pending"] as? Int ?? 0
        }
        #expect(try hintsForNodeC() > 0,
                "node-a keeps hints for node-c\n\(Self.diagnosis(cluster, (try? NodeHTTP.get(port: cluster.node("node-a").httpPort, "/metrics").body) ?? ""))")
        try Self.expectCompleteEverywhere(cluster, sender, nodes: ["node-c"])
        #expect(try hintsForNodeC() > 0, "the hints were still not delivered when node-c answered")
        await cluster.stopAll()
    }

    /// A node cut off from its peers: by a firewall rule when the test runs
    /// as root with iptables (CI), otherwise by SIGSTOP. Writes go on with
    /// hints, queries stay complete, and once it is back it catches up.
    @Test func aPartitionedNodeCatchesUpOnceItIsReachableAgain() async throws {
        let cluster = try ClusterSetup(Self.ids, writeQuorum: 1)
        try await cluster.startAll()
        let sender = Self.sender(cluster)
        let cut = NetworkCut(ports: [cluster.node("node-c").peerPort, cluster.node("node-c").agentPort])
        var isolated = false
        try await sender.send(Array(1...200), port: cluster.node("node-a").agentPort) { window in
            if window == 5 {
                if !cut.apply() { cluster.signal("node-c", SIGSTOP) }
                isolated = true
            }
            if window == 15 {
                try Self.expectCompleteEverywhere(cluster, NumberedSenderSnapshot.of(sender), nodes: ["node-a", "node-b"], exact: false)
            }
        }
        #expect(isolated)
        let pending = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
        let hinted = pending.contains { $0["id"] as? String == "node-c" && ($0["hints_pending"] as? Int ?? 0) > 0 }
        #expect(hinted, "\(pending) (cut by iptables: \(cut.applied))\n\(Self.diagnosis(cluster, (try? NodeHTTP.get(port: cluster.node("node-a").httpPort, "/metrics").body) ?? ""))")
        if cut.applied { cut.remove() } else { cluster.signal("node-c", SIGCONT) }
        try await cluster.wait("hints replayed to node-c") {
            let nodes = try cluster.status("node-a")["nodes"] as? [[String: Any]] ?? []
            return nodes.allSatisfy { ($0["hints_pending"] as? Int) == 0 }
        }
        try Self.expectCompleteEverywhere(cluster, sender)
        try await cluster.wait("replicas converge", timeout: 90) { try cluster.replicasAgree(asSeenBy: "node-c") }
        await cluster.stopAll()
    }
}
}

/// The acknowledged set of a sender at one moment, to check queries mid-stream.
enum NumberedSenderSnapshot {
    static func of(_ sender: NumberedSender) -> NumberedSender {
        let copy = NumberedSender(agentID: sender.agentID, caFile: sender.caFile, time: sender.time)
        copy.assume(sender.acknowledged)
        return copy
    }
}

/// Drops every packet sent to some loopback ports (iptables), as root.
final class NetworkCut: @unchecked Sendable {
    let ports: [Int]
    private(set) var applied = false

    init(ports: [Int]) { self.ports = ports }

    private func iptables(_ arguments: [String]) -> Bool {
        guard getuid() == 0, let path = ["/usr/sbin/iptables", "/sbin/iptables"].first(where: FileManager.default.isExecutableFile) else { return false }
        return (try? ProcessResult.run(URL(fileURLWithPath: path), arguments).status) == 0
    }

    /// False where the rules cannot be added (not root, no iptables).
    func apply() -> Bool {
        applied = ports.allSatisfy { iptables(["-I", "INPUT", "-i", "lo", "-p", "tcp", "--dport", "\($0)", "-j", "DROP"]) }
        if !applied { remove() }
        return applied
    }

    func remove() {
        for port in ports { _ = iptables(["-D", "INPUT", "-i", "lo", "-p", "tcp", "--dport", "\(port)", "-j", "DROP"]) }
        applied = false
    }

    deinit { if applied { remove() } }
}

enum ClusterPlacementError: Error {
    case noBucketReaches(String)
}
