import Foundation
import TributaryConfig
import TributaryQuery
import TributaryStorage
import TributaryWire

extension Topology {
    /// Reads a topology file (see `deploy/topology.yaml`); errors name the
    /// file, line and key, and say what was expected.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> Topology {
        try read(try ConfigReader.load(path: path, environment: environment))
    }

    public static func parse(_ text: String, file: String = "topology.yaml") throws(ConfigError) -> Topology {
        try read(try ConfigReader.parse(text, file: file, environment: [:]))
    }

    static func read(_ reader: ConfigReader) throws(ConfigError) -> Topology {
        let replicationFactor = try reader.int("replication_factor", default: 1, range: 1...16)
        let writeQuorum = try reader.int("write_quorum", default: majority(of: replicationFactor), range: 1...16)
        guard writeQuorum <= replicationFactor else {
            throw reader.error("write_quorum", "is \(writeQuorum), above replication_factor \(replicationFactor): a write could never reach it")
        }
        let span = try reader.duration("partition_span", default: .seconds(3600))
        let spanNanoseconds = span.components.seconds * 1_000_000_000 + span.components.attoseconds / 1_000_000_000
        guard spanNanoseconds >= 60_000_000_000, spanNanoseconds % 1_000_000_000 == 0 else {
            throw reader.error("partition_span", "expected a whole number of seconds, at least 1m")
        }

        var members: [ClusterMember] = []
        let nodeSections = try reader.sections("nodes")
        guard !nodeSections.isEmpty else {
            throw reader.error("nodes", "is required: list every node with its id and peer address")
        }
        for section in nodeSections {
            let id = try section.requiredString("id", expected: "the node's node_id")
            guard Hello.isValidIdentifier(id) else { throw section.error("id", "\"\(id)\" must be 1–128 printable ASCII characters without spaces") }
            guard !members.contains(where: { $0.id == id }) else { throw section.error("id", "node \(id) is listed twice") }
            let peer = try section.requiredString("peer", expected: "host:port of the node's cluster.peer_listen")
            guard ConfigUnits.hostPort(peer) != nil else { throw section.error("peer", "expected host:port, found \"\(peer)\"") }
            let agent = try section.string("agent")
            let http = try section.string("http")
            for (key, value) in [("agent", agent), ("http", http)] {
                if let value, ConfigUnits.hostPort(value) == nil { throw section.error(key, "expected host:port, found \"\(value)\"") }
            }
            members.append(ClusterMember(id: id, peer: peer, agent: agent, http: http, zone: try section.string("zone")))
            try section.finish()
        }
        let known = Set(members.map(\.id))

        let removed = Set(try reader.stringList("removed", expected: "ids of nodes taken out of the cluster"))
        for id in removed where !known.contains(id) {
            throw reader.error("removed", "names \(id), which is not in nodes")
        }

        var epochs: [TopologyEpoch] = []
        let epochSections = try reader.sections("epochs")
        guard !epochSections.isEmpty else {
            throw reader.error("epochs", "is required: at least one epoch listing the nodes that hold data")
        }
        for (index, section) in epochSections.enumerated() {
            var from = Int64.min
            if let text = try section.string("from") {
                guard index > 0 else {
                    throw section.error("from", "the first epoch applies from the beginning of time; remove from")
                }
                guard let value = QueryTime.parseRFC3339(text) else {
                    throw section.error("from", "expected an RFC 3339 time such as 2026-12-01T10:00:00Z, found \"\(text)\"")
                }
                guard value % spanNanoseconds == 0 else {
                    throw section.error("from", "\(text) is not the start of a bucket: use a multiple of partition_span (\(spanNanoseconds / 1_000_000_000)s)")
                }
                guard value > epochs.last!.from else {
                    throw section.error("from", "\(text) is not after the previous epoch's start: epochs are listed oldest first")
                }
                from = value
            } else if index > 0 {
                throw section.error("from", "is required on every epoch but the first: the bucket from which it applies")
            }
            let ids = try section.stringList("nodes", expected: "ids of the nodes holding this epoch's buckets")
            for id in ids where !known.contains(id) {
                throw section.error("nodes", "names \(id), which is not in nodes")
            }
            guard Set(ids).count == ids.count else { throw section.error("nodes", "lists a node twice") }
            let active = ids.filter { !removed.contains($0) }.count
            guard active >= replicationFactor else {
                throw section.error("nodes", "has \(active) nodes that are not removed, fewer than replication_factor \(replicationFactor)")
            }
            let shards = try section.int("shards", default: defaultShards(members: ids.count), range: 1...4096)
            epochs.append(TopologyEpoch(from: from, members: ids, shards: shards))
            try section.finish()
        }
        try reader.finish()
        return Topology(replicationFactor: replicationFactor, writeQuorum: writeQuorum, partitionSpan: spanNanoseconds,
                        nodes: members, epochs: epochs, removed: removed)
    }
}
