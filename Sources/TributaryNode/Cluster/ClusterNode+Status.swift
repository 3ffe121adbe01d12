import Foundation
import NIOCore
import TributaryCluster
import TributaryQuery
import TributaryStorage
import TributaryTelemetry

extension ClusterNode {
    /// Why this node should not be sent traffic, if anything: peers that
    /// run another topology (nothing is replicated with them).
    func readinessProblems() -> [String] {
        health.mismatched().map { "topology mismatch with \($0.node): \($0.reason)" }
    }

    /// Cluster lines for `/metrics`.
    func metricsText() async -> String {
        var text = PrometheusText()
        for name in ClusterCounters.Name.allCases {
            text.counter(name.rawValue, Self.help[name] ?? "", counters.value(name))
        }
        let peers = health.all
        let members = topology.current.activeMembers.filter { $0 != nodeID }
        text.gauge("tributary_cluster_peer_up", "1 while the peer answers node-to-node requests.",
                   series: members.map { ([("node", $0)], peers[$0]?.reachable == true ? 1 : 0) })
        text.gauge("tributary_cluster_topology_mismatch", "1 while the peer runs another topology (no replication with it).",
                   series: members.map { ([("node", $0)], peers[$0]?.topologyMismatch == true ? 1 : 0) })
        let pending = await hints.pending()
        text.gauge("tributary_cluster_hints_pending", "Hinted batches waiting for a replica.",
                   series: members.map { ([("node", $0)], pending[$0]?.hints ?? 0) })
        text.gauge("tributary_cluster_hint_bytes", "Bytes of hints waiting for a replica.",
                   series: members.map { ([("node", $0)], pending[$0]?.bytes ?? 0) })
        let repair = repairState.withLock { $0 }
        text.gauge("tributary_cluster_repair_differing_partitions", "Partitions that differed from a peer's copy in the last repair pass.", repair.differing)
        text.gauge("tributary_cluster_repair_compared_partitions", "Sealed partitions compared with peers in the last repair pass.", repair.compared)
        return text.output
    }

    private static let help: [ClusterCounters.Name: String] = [
        .replicatedBatches: "Agent batches coordinated by this node.",
        .replicaFailures: "Replica writes that did not confirm (down, busy, failed).",
        .quorumFailures: "Agent batches refused for lack of a write quorum (the agent retries).",
        .hintsWritten: "Hints kept for replicas that did not confirm.",
        .hintsReplayed: "Hints delivered to their replica.",
        .hintsDropped: "Hints not kept (cluster.max_hint_bytes): the replica lacks those batches until its partitions are sealed and repaired.",
        .topologyRefusals: "Peer connections or requests refused for a topology mismatch.",
        .partialQueries: "Queries answered with partial: true (no replica answered for some partitions).",
        .repairRuns: "Repair passes started.",
        .repairedPartitions: "Partitions that received records from a peer by repair.",
        .repairedRecords: "Records copied from peers by repair.",
        .repairFailures: "Partitions whose repair failed (retried next pass).",
    ]

    /// `/api/v1/cluster`: the topology, each node as seen from here, hints,
    /// repair, and every partition any reachable node holds with its
    /// replicas and each copy's digest.
    func status() async -> ByteBuffer {
        let topology = self.topology.current
        let pending = await hints.pending()
        var holders: [PartitionKey: [(String, PartitionSummary)]] = [:]
        for summary in await localSummaries() { holders[summary.key, default: []].append((nodeID, summary)) }
        await withTaskGroup(of: (String, [PartitionSummary]).self) { group in
            for member in topology.activeMembers where member != nodeID {
                guard let client = client(member), client.isAvailable else { continue }
                group.addTask {
                    guard let answer = try? await client.request(timeout: .seconds(3), dropOnTimeout: false, { .listPartitions(requestID: $0) }),
                          case .partitionList(_, _, let summaries)? = answer.first else { return (member, []) }
                    return (member, summaries)
                }
            }
            for await (member, summaries) in group {
                for summary in summaries { holders[summary.key, default: []].append((member, summary)) }
            }
        }
        // Read after asking every peer, so up and down are current.
        let peers = health.all
        var json = ByteBuffer()
        json.writeString("{\"node\":")
        json.writeJSONString(nodeID)
        json.writeString(",\"topology\":{\"hash\":\"\(topology.hash)\",\"replication_factor\":\(topology.replicationFactor),")
        json.writeString("\"write_quorum\":\(topology.writeQuorum),\"partition_span_seconds\":\(topology.partitionSpan / 1_000_000_000),\"epochs\":[")
        for (index, epoch) in topology.epochs.enumerated() {
            if index > 0 { json.writeString(",") }
            json.writeString("{\"from\":" + (epoch.from == Int64.min ? "null" : "\"\(QueryTime.format(epoch.from))\""))
            json.writeString(",\"nodes\":")
            json.writeJSONStringArray(epoch.members)
            json.writeString(",\"shards\":\(epoch.shards)}")
        }
        json.writeString("],\"removed\":")
        json.writeJSONStringArray(topology.removed.sorted())
        json.writeString("},\"nodes\":[")
        for (index, member) in topology.nodes.values.sorted(by: { $0.id < $1.id }).enumerated() {
            if index > 0 { json.writeString(",") }
            let peer = peers[member.id]
            let isSelf = member.id == nodeID
            json.writeString("{\"id\":")
            json.writeJSONString(member.id)
            json.writeString(",\"self\":\(isSelf),\"up\":\(isSelf || peer?.reachable == true),\"removed\":\(topology.removed.contains(member.id))")
            json.writeString(",\"peer\":")
            json.writeJSONString(member.peer)
            for (key, value) in [("agent", member.agent), ("http", member.http), ("zone", member.zone)] {
                json.writeString(",\"\(key)\":")
                if let value { json.writeJSONString(value) } else { json.writeString("null") }
            }
            json.writeString(",\"topology_hash\":")
            if isSelf { json.writeJSONString(topology.hash) } else if let hash = peer?.topologyHash { json.writeJSONString(hash) } else { json.writeString("null") }
            json.writeString(",\"topology_mismatch\":\(peer?.topologyMismatch == true),\"credentials_differ\":\(peer?.credentialsDiffer == true),\"error\":")
            if let error = peer?.lastError, !isSelf, peer?.reachable != true { json.writeJSONString(error) } else { json.writeString("null") }
            json.writeString(",\"hints_pending\":\(pending[member.id]?.hints ?? 0),\"hint_bytes\":\(pending[member.id]?.bytes ?? 0)}")
        }
        let repair = repairState.withLock { $0 }
        json.writeString("],\"repair\":{\"passes\":\(repair.passes),\"running\":\(repair.running),\"last_pass\":")
        if let last = repair.lastPass { json.writeJSONString(QueryTime.format(Int64(last * 1e9))) } else { json.writeString("null") }
        json.writeString(",\"compared\":\(repair.compared),\"differing\":\(repair.differing),\"repaired_partitions\":\(repair.repairedPartitions)")
        json.writeString(",\"copied_records\":\(repair.copiedRecords),\"last_error\":")
        if let error = repair.lastError { json.writeJSONString(error) } else { json.writeString("null") }
        json.writeString("},\"partitions\":[")
        for (index, (key, copies)) in holders.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { json.writeString(",") }
            json.writeString("{\"tenant\":")
            json.writeJSONString(key.tenant)
            json.writeString(",\"name\":\"\(key.directoryName)\",\"start\":\"\(QueryTime.format(key.start))\",\"end\":\"\(QueryTime.format(key.end))\"")
            json.writeString(",\"shard\":\(key.shard),\"shards\":\(key.shards),\"replicas\":")
            json.writeJSONStringArray(topology.replicas(of: key))
            json.writeString(",\"copies\":[")
            for (copyIndex, (node, summary)) in copies.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if copyIndex > 0 { json.writeString(",") }
                json.writeString("{\"node\":")
                json.writeJSONString(node)
                json.writeString(",\"sealed\":\(summary.sealed),\"records\":\(summary.records),\"sha256\":\"\(summary.digest)\"}")
            }
            json.writeString("]}")
        }
        json.writeString("]}\n")
        return json
    }
}
