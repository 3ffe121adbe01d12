import ArgumentParser
import Foundation
import TributaryAPI
import TributaryCluster
import TributaryConfig
import TributaryHTTPClient
import TributaryNode
import TributaryQuery

/// `trib cluster …`: look at a cluster and change its topology.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Show a cluster's state, add or remove nodes, run a repair pass.",
        discussion: """
            The topology file is the same on every node. add-node and remove-node rewrite it with a new \
            epoch that starts at a bucket that has not begun, so no data already written moves; copy the \
            file to every node and send each SIGHUP (start a new node with it).
            """,
        subcommands: [ClusterStatusCommand.self, ClusterAddNodeCommand.self, ClusterRemoveNodeCommand.self, ClusterRepairCommand.self]
    )
}

struct ClusterStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Nodes (up or down, topology), hints pending, repair progress and partitions with their replicas, as one node sees them.")

    @OptionGroup var address: NodeHTTPOptions

    @Flag(help: "Print the node's JSON (GET /api/v1/cluster).")
    var json = false

    @Flag(help: "List every partition with its copies.")
    var partitions = false

    func run() throws {
        let endpoint = try address.endpoint(purpose: "a token with the admin role")
        var code = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: "/api/v1/cluster", headers: endpoint.headers, tls: endpoint.tls,
                              status: { code = $0 }, body: { body += $0 })
        let text = String(decoding: body, as: UTF8.self)
        guard code == 200 else { throw QueryFailed(message: "\(address.node) answered \(code): \(QueryFailed.errorText(text))") }
        if json {
            print(text, terminator: "")
            return
        }
        guard let status = try? JSONDecoder().decode(ClusterStatus.self, from: Data(body)) else {
            throw QueryFailed(message: "\(address.node) did not answer JSON")
        }
        print(ClusterStatusText(status, listPartitions: partitions).text, terminator: "")
    }
}

struct ClusterAddNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-node",
        abstract: "Add a node to the topology file from a future bucket on (nothing already written moves).")

    @Option(help: "The topology file to change.")
    var topology: String

    @Option(help: "The new node's node_id.")
    var id: String

    @Option(help: "host:port of its cluster.peer_listen.")
    var peer: String

    @Option(help: "host:port agents connect to.")
    var agent: String?

    @Option(help: "host:port of its HTTP API.")
    var http: String?

    @Option(help: "Its failure zone (replicas prefer distinct zones).")
    var zone: String?

    @Option(help: "First bucket it takes (RFC 3339); default: the next bucket that has not begun.")
    var from: String?

    @Option(help: "Shards per bucket in the new epoch (default: one per node).")
    var shards: Int?

    @Option(help: "How far ahead of now records may already be stored (the nodes' limits.max_record_future): the new epoch starts after it.")
    var lead = "10m"

    func run() throws {
        let current = try Topology.load(path: topology)
        let start = try from.map { text -> Int64 in
            guard let value = QueryTime.parseRFC3339(text) else { throw ValidationError("--from: expected an RFC 3339 time, found \(text)") }
            return value
        }
        let changed = try current.adding(ClusterMember(id: id, peer: peer, agent: agent, http: http, zone: zone),
                                         now: try ClusterLead.horizon(lead), from: start, shards: shards)
        try changed.write(to: topology)
        let epoch = changed.epochs.last!
        say("\(topology): node \(id) added from \(QueryTime.format(epoch.from)) (\(epoch.members.count) nodes, \(epoch.shards) shards); topology \(changed.hash)")
        say("next: copy \(topology) to every node before that time, start \(id) with it, and send SIGHUP to the others")
    }
}

struct ClusterRemoveNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-node",
        abstract: "Take a node out of the topology: it is placed nowhere, and repair copies its partitions to their new replicas.")

    @Option(help: "The topology file to change.")
    var topology: String

    @Option(help: "The node_id to remove.")
    var id: String

    @Option(help: "How far ahead of now records may already be stored (the nodes' limits.max_record_future): the new epoch starts after it.")
    var lead = "10m"

    func run() throws {
        let current = try Topology.load(path: topology)
        let changed = try current.removing(id, now: try ClusterLead.horizon(lead))
        try changed.write(to: topology)
        say("\(topology): node \(id) removed; new buckets from \(QueryTime.format(changed.epochs.last!.from)) use \(changed.epochs.last!.members.joined(separator: ", ")); topology \(changed.hash)")
        say("next: copy \(topology) to every node and send each SIGHUP; repair then copies \(id)'s partitions to their new replicas "
            + "(trib cluster repair runs a pass now; trib cluster status shows progress). Stop \(id) once no partition lists it.")
    }
}

struct ClusterRepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Run a repair pass on a node now (it also runs every cluster.repair_interval).")

    @OptionGroup var address: NodeHTTPOptions

    func run() throws {
        let endpoint = try address.endpoint(purpose: "a token with the admin role")
        let (code, answer) = try HTTPGetClient.post(host: endpoint.host, port: endpoint.port, path: "/api/v1/cluster/repair", json: Array("{}".utf8),
                                                    headers: endpoint.headers, tls: endpoint.tls, timeoutSeconds: 600)
        guard code == 200 else { throw QueryFailed(message: "\(address.node) answered \(code): \(QueryFailed.errorText(answer))") }
        say(answer.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// `--lead`: now plus how far ahead records may already have been stored;
/// a new epoch starts at the first bucket after that.
enum ClusterLead {
    static func horizon(_ text: String) throws -> Int64 {
        guard let lead = ConfigUnits.duration(text), lead >= .zero else {
            throw ValidationError("--lead: expected a duration such as 10m, found \(text)")
        }
        let (seconds, attoseconds) = lead.components
        return Int64(Date().timeIntervalSince1970 * 1e9) + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
