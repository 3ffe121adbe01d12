import Foundation
import Testing
import TributaryCluster
import TributaryConfig
import TributaryStorage

@Suite struct TopologyTests {
    static let hour: Int64 = 3_600_000_000_000
    /// 2026-12-01T10:00:00Z.
    static let t0: Int64 = 1_796_119_200_000_000_000

    static let threeNodes = """
        replication_factor: 2
        partition_span: 1h
        nodes:
          - {id: node-a, peer: 127.0.0.1:7410, agent: 127.0.0.1:7400, http: 127.0.0.1:7401, zone: z1}
          - {id: node-b, peer: 127.0.0.1:7420, zone: z2}
          - {id: node-c, peer: 127.0.0.1:7430, zone: z3}
          - {id: node-d, peer: 127.0.0.1:7440, zone: z1}
        epochs:
          - nodes: [node-a, node-b, node-c]
          - from: 2026-12-01T10:00:00Z
            nodes: [node-a, node-b, node-c, node-d]
        """

    static func error(_ text: String) -> String {
        do {
            _ = try Topology.parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func readsNodesEpochsAndDefaults() throws {
        let topology = try Topology.parse(Self.threeNodes)
        #expect(topology.replicationFactor == 2)
        #expect(topology.writeQuorum == 2, "the default quorum is a majority of the replicas")
        #expect(topology.partitionSpan == Self.hour)
        #expect(topology.epochs.count == 2)
        #expect(topology.epochs[0].from == Int64.min)
        #expect(topology.epochs[0].shards == 3, "one shard per node by default")
        #expect(topology.epochs[1].from == Self.t0)
        #expect(topology.epochs[1].shards == 4)
        #expect(topology.nodes["node-a"]?.agent == "127.0.0.1:7400")
        #expect(topology.activeMembers == ["node-a", "node-b", "node-c", "node-d"])
    }

    @Test func theEpochOfABucketIsTheLastThatStartedAtOrBeforeIt() throws {
        let topology = try Topology.parse(Self.threeNodes)
        #expect(topology.epoch(at: Self.t0 - Self.hour).members == ["node-a", "node-b", "node-c"])
        #expect(topology.epoch(at: Self.t0).members.count == 4)
        #expect(topology.epoch(at: Self.t0 + 100 * Self.hour).members.count == 4)
        #expect(topology.shards(bucketStart: Int64.min / 2) == 3)
    }

    @Test func replicasAreDistinctMembersOfTheBucketsEpochInDistinctZonesFirst() throws {
        let topology = try Topology.parse(Self.threeNodes)
        var counts: [String: Int] = [:]
        for bucket in 0..<200 {
            let start = Self.t0 - Int64(bucket + 1) * Self.hour
            for shard in 0..<3 {
                let key = PartitionKey(tenant: "acme", start: start, span: Self.hour, shard: shard, shards: 3)
                let replicas = topology.replicas(of: key)
                #expect(replicas.count == 2)
                #expect(Set(replicas).count == 2)
                #expect(!replicas.contains("node-d"), "node-d joined at t0: earlier buckets never move to it")
                #expect(replicas == topology.replicas(of: key), "placement is deterministic")
                for node in replicas { counts[node, default: 0] += 1 }
            }
        }
        // 1,200 replicas over three nodes: each near 400.
        for node in ["node-a", "node-b", "node-c"] { #expect((300...500).contains(counts[node] ?? 0), "\(node): \(counts)") }
        for bucket in 0..<200 {
            let key = PartitionKey(tenant: "acme", start: Self.t0 + Int64(bucket) * Self.hour, span: Self.hour, shard: bucket % 4, shards: 4)
            let replicas = topology.replicas(of: key)
            let zones = Set(replicas.map { topology.nodes[$0]!.zone! })
            #expect(zones.count == 2, "node-a and node-d share zone z1, so they never hold the same partition: \(replicas)")
        }
    }

    @Test func addingANodeMovesOnlyThePartitionsItWins() throws {
        var before = try Topology.parse(Self.threeNodes)
        before.epochs = [before.epochs[0]]
        var after = before
        after.epochs[0].members.append("node-d")
        after.epochs[0].shards = 3
        after.nodes["node-d"]?.zone = "z4"
        var moved = 0
        for bucket in 0..<300 {
            let key = PartitionKey(tenant: "t", start: Int64(bucket) * Self.hour, span: Self.hour, shard: 0, shards: 3)
            let old = before.replicas(of: key)
            let new = after.replicas(of: key)
            if old != new {
                moved += 1
                #expect(new.contains("node-d"), "a partition changes replicas only when the new node wins it")
            }
        }
        #expect(moved > 0 && moved < 300)
    }

    @Test func removedNodesAreSkippedEverywhere() throws {
        let topology = try Topology.parse(Self.threeNodes + "\nremoved: [node-b]\n")
        for bucket in 0..<50 {
            let key = PartitionKey(tenant: "t", start: Int64(bucket) * Self.hour, span: Self.hour, shard: bucket % 3, shards: 3)
            #expect(!topology.replicas(of: key).contains("node-b"))
            #expect(topology.replicas(of: key).count == 2)
        }
        #expect(!topology.activeMembers.contains("node-b"))
    }

    @Test func theHashIgnoresFormattingButNotContent() throws {
        let a = try Topology.parse(Self.threeNodes)
        let reformatted = try Topology.parse("""
            partition_span: 3600s
            replication_factor: 2
            write_quorum: 2
            epochs:
              - nodes: [node-a, node-b, node-c]
                shards: 3
              - {from: "2026-12-01T10:00:00Z", nodes: [node-a, node-b, node-c, node-d]}
            nodes:
              - {id: node-d, peer: 127.0.0.1:7440, zone: z1}
              - {id: node-c, peer: 127.0.0.1:7430, zone: z3}
              - {id: node-b, peer: 127.0.0.1:7420, zone: z2}
              - {id: node-a, peer: 127.0.0.1:7410, agent: 127.0.0.1:7400, http: 127.0.0.1:7401, zone: z1}
            """)
        #expect(a.hash == reformatted.hash)
        #expect(a.hash.count == 16)
        var changed = a
        changed.writeQuorum = 1
        #expect(changed.hash != a.hash)
        #expect(try Topology.parse(a.yaml) == a, "the canonical text reads back as the same topology")
    }

    @Test func addingAndRemovingNodesAppendEpochsFromFutureBuckets() throws {
        var base = try Topology.parse(Self.threeNodes)
        base.epochs = [base.epochs[0]]
        let added = try base.adding(ClusterMember(id: "node-e", peer: "127.0.0.1:7450"), now: Self.t0 + 10)
        #expect(added.epochs.count == 2)
        #expect(added.epochs[1].from == Self.t0 + Self.hour, "the next bucket that has not started")
        #expect(added.epochs[1].members == ["node-a", "node-b", "node-c", "node-e"])
        #expect(added.epochs[1].shards == 4)
        #expect(throws: TopologyChangeError.self) { try added.adding(ClusterMember(id: "node-e", peer: "x:1"), now: Self.t0) }
        #expect(throws: TopologyChangeError.self) { try base.adding(ClusterMember(id: "node-f", peer: "x:1"), now: Self.t0, from: Self.t0) }

        let removed = try added.removing("node-b", now: Self.t0 + 2 * Self.hour + 5)
        #expect(removed.removed == ["node-b"])
        #expect(removed.epochs.last!.members == ["node-a", "node-c", "node-e"])
        #expect(removed.epochs.last!.from == Self.t0 + 3 * Self.hour)
        #expect(throws: TopologyChangeError.self) { try removed.removing("node-a", now: Self.t0).removing("node-c", now: Self.t0) }
    }

    @Test func theExampleInDeployLoads() throws {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        let topology = try Topology.load(path: root.appendingPathComponent("deploy/topology.yaml").path)
        #expect(topology.activeMembers == ["node-a", "node-b", "node-c"])
        #expect(topology.nodes["node-b"]?.zone == "rack-2")
        #expect(topology.epochs.count == 1 && topology.epochs[0].shards == 3)
    }

    @Test func errorsNameTheKeyAndWhatWasExpected() {
        #expect(Self.error("nodes: []\n").contains("nodes: is required"))
        #expect(Self.error("replication_factor: 3\nwrite_quorum: 4\nnodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a]}]\n")
            .contains("write_quorum: is 4, above replication_factor 3"))
        #expect(Self.error("nodes: [{id: a, peer: nowhere}]\nepochs: [{nodes: [a]}]\n").contains("nodes[0].peer: expected host:port"))
        #expect(Self.error("nodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a, b]}]\n").contains("names b, which is not in nodes"))
        #expect(Self.error("replication_factor: 2\nnodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a]}]\n").contains("fewer than replication_factor 2"))
        #expect(Self.error("nodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a]}, {nodes: [a]}]\n").contains("epochs[1].from: is required"))
        #expect(Self.error("nodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a]}, {from: 2026-12-01T10:30:00Z, nodes: [a]}]\n")
            .contains("not the start of a bucket"))
        #expect(Self.error("nodes: [{id: a, peer: h:1}]\nepochs: [{nodes: [a]}]\nreplicas: 2\n").contains("replicas: unknown key"))
    }
}
