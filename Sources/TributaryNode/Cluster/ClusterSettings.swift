import TributaryCluster

/// The `cluster:` section of a node's configuration: where the shared
/// topology file is, where this node listens for its peers, and the timing
/// of node-to-node work.
///
/// ```yaml
/// cluster:
///   topology: topology.yaml     # the same file on every node
///   peer_listen: 0.0.0.0:7410   # node-to-node (mutual TLS with tls.ca)
///   request_timeout: 10s        # a replica slower than this gets a hint
///   repair_interval: 1m         # how often sealed partitions are compared
///   max_hint_bytes: 1GiB        # per down peer; beyond it writes need a quorum without hints
///   hint_replay_interval: 1s    # how often hints are offered to peers that answer again
/// ```
public struct ClusterSettings: Sendable {
    public var topologyPath: String
    public var topology: Topology
    public var peerHost: String
    public var peerPort: Int
    public var requestTimeout: Duration = .seconds(10)
    public var repairInterval: Duration = .seconds(60)
    public var maxHintBytes = 1 << 30
    public var hintReplayInterval: Duration = .seconds(1)

    public init(topologyPath: String, topology: Topology, peerHost: String, peerPort: Int) {
        self.topologyPath = topologyPath
        self.topology = topology
        self.peerHost = peerHost
        self.peerPort = peerPort
    }
}
