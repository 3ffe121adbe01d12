import TributaryTLS

/// Which members answer right now, for the placement of rule groups.
extension ClusterNode {
    /// This node and every active member that answers a HINTS request
    /// within `timeout` (a cheap round trip that also proves the peer
    /// runs our topology), sorted.
    /// The members of the topology in force now, this node included.
    var activeMembers: [String] { topology.current.activeMembers }

    func liveMembers(timeout: Duration) async -> [String] {
        let topology = self.topology.current
        var live = [nodeID]
        await withTaskGroup(of: String?.self) { group in
            for member in topology.activeMembers where member != nodeID {
                guard let client = client(member) else { continue }
                group.addTask {
                    guard let answer = try? await client.request(timeout: timeout, { .hints(requestID: $0) }),
                          case .partitionList? = answer.first else { return nil }
                    return member
                }
            }
            for await member in group { if let member { live.append(member) } }
        }
        return live.sorted()
    }
}

extension ClusterNode {
    /// `host:port` of `node`'s HTTP API, from the topology's `http:`.
    func httpAddress(of node: String) -> String? {
        topology.current.nodes[node]?.http
    }

    /// The TLS context this node uses towards its peers (it trusts the
    /// cluster's CA), for HTTPS requests to another node's API.
    var peerClientTLS: TLSContext? { tls?.context }
}
