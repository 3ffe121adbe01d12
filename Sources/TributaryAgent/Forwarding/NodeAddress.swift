/// A node's agent address (`host:port`) from the configuration.
public struct NodeAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Nodes in this agent's order of preference: highest rendezvous score
    /// first, so a fleet of agents spreads evenly over the nodes while each
    /// agent keeps to one (its batch sequences stay contiguous on that
    /// node) and fails over in a fixed order.
    public static func ranked(_ nodes: [NodeAddress], for agentID: String) -> [NodeAddress] {
        nodes.map { ($0, score(agentID + "\u{0}" + $0.description)) }
            .sorted { $0.1 > $1.1 }
            .map(\.0)
    }

    /// FNV-1a 64 with a final mix: stable across processes (Swift's
    /// `Hasher` is seeded per process).
    static func score(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
