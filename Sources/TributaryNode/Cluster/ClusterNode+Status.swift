import Foundation
import TributaryAPI
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
    func status() async -> ClusterStatus {
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
        let epochs = topology.epochs.map { epoch in
            ClusterEpochStatus(from: epoch.from == Int64.min ? nil : QueryTime.format(epoch.from), nodes: epoch.members, shards: epoch.shards)
        }
        let topologyStatus = ClusterTopologyStatus(hash: topology.hash, replicationFactor: topology.replicationFactor,
                                                   writeQuorum: topology.writeQuorum, partitionSpanSeconds: topology.partitionSpan / 1_000_000_000,
                                                   epochs: epochs, removed: topology.removed.sorted())
        let nodes = topology.nodes.values.sorted(by: { $0.id < $1.id }).map { member in
            let peer = peers[member.id]
            let isSelf = member.id == nodeID
            return ClusterNodeStatus(id: member.id, isSelf: isSelf, up: isSelf || peer?.reachable == true, removed: topology.removed.contains(member.id),
                                     peer: member.peer, agent: member.agent, http: member.http, zone: member.zone,
                                     topologyHash: isSelf ? topology.hash : peer?.topologyHash,
                                     topologyMismatch: peer?.topologyMismatch == true, credentialsDiffer: peer?.credentialsDiffer == true,
                                     error: !isSelf && peer?.reachable != true ? peer?.lastError : nil,
                                     hintsPending: pending[member.id]?.hints ?? 0, hintBytes: pending[member.id]?.bytes ?? 0)
        }
        let repair = repairState.withLock { $0 }
        let repairStatus = ClusterRepairStatus(passes: repair.passes, running: repair.running,
                                               lastPass: repair.lastPass.map { QueryTime.format(Int64($0 * 1e9)) }, compared: repair.compared,
                                               differing: repair.differing, repairedPartitions: repair.repairedPartitions,
                                               copiedRecords: repair.copiedRecords, lastError: repair.lastError)
        let partitions = holders.sorted(by: { $0.key < $1.key }).map { key, copies in
            ClusterPartitionStatus(tenant: key.tenant, name: key.directoryName, start: QueryTime.format(key.start), end: QueryTime.format(key.end),
                                   shard: key.shard, shards: key.shards, replicas: topology.replicas(of: key),
                                   copies: copies.sorted(by: { $0.0 < $1.0 }).map { node, summary in
                                       PartitionCopyStatus(node: node, sealed: summary.sealed, records: summary.records, sha256: summary.digest)
                                   })
        }
        return ClusterStatus(node: nodeID, topology: topologyStatus, nodes: nodes, repair: repairStatus, partitions: partitions)
    }
}
