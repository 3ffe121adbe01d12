/// `trib cluster status` as text: the node's view of the topology, each
/// node, hints, repair, and the partitions by tenant.
struct ClusterStatusText {
    let text: String

    init(_ status: [String: Any], listPartitions: Bool) {
        var out = ""
        let topology = status["topology"] as? [String: Any] ?? [:]
        out += "node \(status["node"] as? String ?? "?"): topology \(topology["hash"] as? String ?? "?"), "
        out += "replication factor \(topology["replication_factor"] as? Int ?? 0), write quorum \(topology["write_quorum"] as? Int ?? 0), "
        out += "buckets of \(topology["partition_span_seconds"] as? Int ?? 0)s\n"
        for epoch in topology["epochs"] as? [[String: Any]] ?? [] {
            let from = epoch["from"] as? String ?? "the beginning"
            out += "  epoch from \(from): \((epoch["nodes"] as? [String] ?? []).joined(separator: ", ")) (\(epoch["shards"] as? Int ?? 0) shards)\n"
        }
        if let removed = topology["removed"] as? [String], !removed.isEmpty { out += "  removed: \(removed.joined(separator: ", "))\n" }

        out += "\nNODE          STATE     HINTS      TOPOLOGY          PEER\n"
        for node in status["nodes"] as? [[String: Any]] ?? [] {
            let id = node["id"] as? String ?? "?"
            var state = node["self"] as? Bool == true ? "self" : (node["up"] as? Bool == true ? "up" : "down")
            if node["removed"] as? Bool == true { state = "removed" }
            if node["topology_mismatch"] as? Bool == true { state = "MISMATCH" }
            let hints = "\(node["hints_pending"] as? Int ?? 0)"
            out += Self.pad(id, 14) + Self.pad(state, 10) + Self.pad(hints, 11) + Self.pad(node["topology_hash"] as? String ?? "-", 18)
                + (node["peer"] as? String ?? "") + "\n"
            if let error = node["error"] as? String { out += "    \(error)\n" }
            if node["credentials_differ"] as? Bool == true {
                out += "    TOKENS DIFFER: \(id) has other tenants, tokens or roles than the node answering; clients accepted by one are refused (401) by the other\n"
            }
        }

        let repair = status["repair"] as? [String: Any] ?? [:]
        out += "\nrepair: \(repair["passes"] as? Int ?? 0) passes, last \(repair["last_pass"] as? String ?? "never"); "
        out += "last pass compared \(repair["compared"] as? Int ?? 0) sealed partitions, \(repair["differing"] as? Int ?? 0) differed; "
        out += "since start \(repair["repaired_partitions"] as? Int ?? 0) repaired, \(repair["copied_records"] as? Int ?? 0) records copied\n"
        if let error = repair["last_error"] as? String { out += "  \(error)\n" }

        let partitions = status["partitions"] as? [[String: Any]] ?? []
        var byTenant: [String: (count: Int, underReplicated: Int, differing: Int)] = [:]
        for partition in partitions {
            let tenant = partition["tenant"] as? String ?? "?"
            let replicas = Set(partition["replicas"] as? [String] ?? [])
            let copies = partition["copies"] as? [[String: Any]] ?? []
            let holders = Set(copies.compactMap { $0["node"] as? String })
            let digests = Set(copies.filter { $0["sealed"] as? Bool == true }.compactMap { $0["sha256"] as? String })
            byTenant[tenant, default: (0, 0, 0)].count += 1
            if !replicas.isSubset(of: holders) { byTenant[tenant]!.underReplicated += 1 }
            if digests.count > 1 { byTenant[tenant]!.differing += 1 }
        }
        out += "\nTENANT          PARTITIONS  MISSING-A-COPY  DIGESTS-DIFFER\n"
        for (tenant, counts) in byTenant.sorted(by: { $0.key < $1.key }) {
            out += Self.pad(tenant, 16) + Self.pad("\(counts.count)", 12) + Self.pad("\(counts.underReplicated)", 16) + "\(counts.differing)\n"
        }
        if listPartitions {
            out += "\nPARTITION                                  REPLICAS             COPIES\n"
            for partition in partitions {
                let name = "\(partition["tenant"] as? String ?? "?")/\(partition["name"] as? String ?? "?")"
                let replicas = (partition["replicas"] as? [String] ?? []).joined(separator: ",")
                let copies = (partition["copies"] as? [[String: Any]] ?? []).map { copy -> String in
                    let digest = (copy["sha256"] as? String).map { $0.isEmpty ? "open" : String($0.prefix(12)) } ?? "?"
                    return "\(copy["node"] as? String ?? "?"):\(copy["records"] as? Int ?? 0):\(digest)"
                }.joined(separator: " ")
                out += Self.pad(name, 43) + Self.pad(replicas, 21) + copies + "\n"
            }
        }
        text = out
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
