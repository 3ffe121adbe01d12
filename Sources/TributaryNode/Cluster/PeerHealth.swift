import Foundation
import Synchronization

/// What this node knows of each peer: reachable or not, why not, the
/// topology it runs. Feeds `/readyz`, `/api/v1/cluster` and `/metrics`.
public final class PeerHealth: Sendable {
    public struct Peer: Sendable {
        public var reachable = false
        public var lastError: String?
        /// The topology hash the peer announced, if it ever answered.
        public var topologyHash: String?
        /// When it last answered, seconds since the epoch.
        public var lastContact: Double?
        public var requestsFailed = 0
        /// It refused us, or we refused it, for running another topology.
        public var topologyMismatch = false
        /// It announced other tenants, tokens or roles than this node's.
        public var credentialsDiffer = false
    }

    private let peers = Mutex<[String: Peer]>([:])

    public init() {}

    public var all: [String: Peer] { peers.withLock { $0 } }

    func succeeded(_ node: String, topologyHash: String? = nil) {
        peers.withLock { peers in
            peers[node, default: Peer()].reachable = true
            peers[node]!.lastError = nil
            peers[node]!.lastContact = Date().timeIntervalSince1970
            peers[node]!.topologyMismatch = false
            if let topologyHash { peers[node]!.topologyHash = topologyHash }
        }
    }

    func failed(_ node: String, _ error: String, topologyHash: String? = nil, mismatch: Bool = false) {
        peers.withLock { peers in
            peers[node, default: Peer()].reachable = false
            peers[node]!.lastError = error
            peers[node]!.requestsFailed += 1
            if mismatch { peers[node]!.topologyMismatch = true }
            if let topologyHash { peers[node]!.topologyHash = topologyHash }
        }
    }

    /// Records whether `node` announced other credentials; true when that
    /// changed (so the caller logs once, not on every connection).
    func credentials(_ node: String, differ: Bool) -> Bool {
        peers.withLock { peers in
            let before = peers[node, default: Peer()].credentialsDiffer
            peers[node]!.credentialsDiffer = differ
            return before != differ
        }
    }

    /// Peers last seen running another topology, with what they said.
    func mismatched() -> [(node: String, reason: String)] {
        peers.withLock { peers in
            peers.compactMap { node, peer in peer.topologyMismatch ? (node, peer.lastError ?? "topology mismatch") : nil }
                .sorted { $0.node < $1.node }
        }
    }

    /// Forgets what peers said of topologies (after this node reloaded its own).
    func clearMismatches() {
        peers.withLock { peers in for node in peers.keys { peers[node]!.topologyMismatch = false } }
    }
}
