import TributaryQuery

extension Topology {
    /// The topology as a file: canonical (nodes sorted by id, epochs by
    /// time, every default written out), so the same topology always gives
    /// the same text and the same `hash`, however the file was formatted.
    public var yaml: String {
        var text = "replication_factor: \(replicationFactor)\nwrite_quorum: \(writeQuorum)\n"
        text += "partition_span: \(partitionSpan / 1_000_000_000)s\nnodes:\n"
        for member in nodes.values.sorted(by: { $0.id < $1.id }) {
            text += "  - id: \(member.id)\n    peer: \(member.peer)\n"
            if let agent = member.agent { text += "    agent: \(agent)\n" }
            if let http = member.http { text += "    http: \(http)\n" }
            if let zone = member.zone { text += "    zone: \(Self.quoted(zone))\n" }
        }
        text += "epochs:\n"
        for epoch in epochs {
            text += "  - "
            if epoch.from != Int64.min { text += "from: \(QueryTime.format(epoch.from))\n    " }
            text += "nodes: [\(epoch.members.joined(separator: ", "))]\n    shards: \(epoch.shards)\n"
        }
        if !removed.isEmpty { text += "removed: [\(removed.sorted().joined(separator: ", "))]\n" }
        return text
    }

    /// 16 hex digits identifying the topology's content (FNV-1a 64 of `yaml`).
    /// Not a security measure: peers are authenticated by mutual TLS.
    public var hash: String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in yaml.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
