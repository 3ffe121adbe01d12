import TributaryAPI

/// `trib cluster status` as text: the node's view of the topology, each
/// node, hints, repair, and the partitions by tenant.
struct ClusterStatusText {
    let text: String

    init(_ status: ClusterStatus, listPartitions: Bool) {
        var out = ""
        let topology = status.topology
        out += "node \(status.node): topology \(topology.hash), "
        out += "replication factor \(topology.replicationFactor), write quorum \(topology.writeQuorum), "
        out += "buckets of \(topology.partitionSpanSeconds)s\n"
        for epoch in topology.epochs {
            let from = epoch.from ?? "the beginning"
            out += "  epoch from \(from): \(epoch.nodes.joined(separator: ", ")) (\(epoch.shards) shards)\n"
        }
        if !topology.removed.isEmpty { out += "  removed: \(topology.removed.joined(separator: ", "))\n" }

        out += "\nNODE          STATE     HINTS      TOPOLOGY          PEER\n"
        for node in status.nodes {
            var state = node.isSelf ? "self" : (node.up ? "up" : "down")
            if node.removed { state = "removed" }
            if node.topologyMismatch { state = "MISMATCH" }
            out += Self.pad(node.id, 14) + Self.pad(state, 10) + Self.pad("\(node.hintsPending)", 11) + Self.pad(node.topologyHash ?? "-", 18)
                + node.peer + "\n"
            if let error = node.error { out += "    \(error)\n" }
            if node.credentialsDiffer {
                out += "    TOKENS DIFFER: \(node.id) has other tenants, tokens or roles than the node answering; clients accepted by one are refused (401) by the other\n"
            }
        }

        let repair = status.repair
        out += "\nrepair: \(repair.passes) passes, last \(repair.lastPass ?? "never"); "
        out += "last pass compared \(repair.compared) sealed partitions, \(repair.differing) differed; "
        out += "since start \(repair.repairedPartitions) repaired, \(repair.copiedRecords) records copied\n"
        if let error = repair.lastError { out += "  \(error)\n" }

        var byTenant: [String: (count: Int, underReplicated: Int, differing: Int)] = [:]
        for partition in status.partitions {
            let holders = Set(partition.copies.map(\.node))
            let digests = Set(partition.copies.filter(\.sealed).map(\.sha256))
            byTenant[partition.tenant, default: (0, 0, 0)].count += 1
            if !Set(partition.replicas).isSubset(of: holders) { byTenant[partition.tenant]!.underReplicated += 1 }
            if digests.count > 1 { byTenant[partition.tenant]!.differing += 1 }
        }
        out += "\nTENANT          PARTITIONS  MISSING-A-COPY  DIGESTS-DIFFER\n"
        for (tenant, counts) in byTenant.sorted(by: { $0.key < $1.key }) {
            out += Self.pad(tenant, 16) + Self.pad("\(counts.count)", 12) + Self.pad("\(counts.underReplicated)", 16) + "\(counts.differing)\n"
        }
        if listPartitions {
            out += "\nPARTITION                                  REPLICAS             COPIES\n"
            for partition in status.partitions {
                let copies = partition.copies.map { copy in
                    "\(copy.node):\(copy.records):\(copy.sha256.isEmpty ? "open" : String(copy.sha256.prefix(12)))"
                }.joined(separator: " ")
                out += Self.pad("\(partition.tenant)/\(partition.name)", 43) + Self.pad(partition.replicas.joined(separator: ","), 21) + copies + "\n"
            }
        }
        text = out
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
