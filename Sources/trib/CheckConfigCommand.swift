import ArgumentParser
import Foundation
import TributaryAgent
import TributaryAlerting
import TributaryCluster
import TributaryConfig
import TributaryNode

/// `trib check-config FILE`: validates a node or agent configuration
/// without starting anything, for CI pipelines and before a restart.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a node or agent configuration file without starting anything.",
        discussion: """
            A file with node_id is a node configuration (its rule files are checked too); one with epochs is a cluster topology; one with nodes is \
            an agent configuration; one with groups is a Prometheus rule file. \
            Exits 0 and prints a summary when the file is valid; exits 1 with the file, line, key and problem otherwise.
            """
    )

    @Argument(help: "The YAML configuration file.")
    var file: String

    @Option(help: "FILE is a central agent configuration for this group (trib fleet config push): check it as the node does at push time.")
    var centralGroup: String?

    func run() throws {
        if let centralGroup {
            let body: String
            do {
                body = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let configuration = try CentralConfiguration.validate(body: body, group: centralGroup)
            say("\(file): valid central configuration for group \(centralGroup): \(configuration.inputs.count) input\(configuration.inputs.count == 1 ? "" : "s") "
                + "(\(configuration.inputs.map(\.name).joined(separator: ", ")))")
            return
        }
        let reader = try ConfigReader.load(path: file)
        if reader.contains("epochs") && !reader.contains("node_id") {
            let topology = try Topology.load(path: file)
            say("\(file): valid cluster topology \(topology.hash): \(topology.activeMembers.count) nodes (\(topology.activeMembers.joined(separator: ", "))), "
                + "\(topology.epochs.count) epoch\(topology.epochs.count == 1 ? "" : "s"), replication factor \(topology.replicationFactor), "
                + "write quorum \(topology.writeQuorum)")
            return
        }
        if reader.contains("groups") && !reader.contains("node_id") {
            let groups = try RuleFile.read(try ConfigReader.load(path: file, environment: [:]), path: file, tenant: "-", defaultInterval: 60_000_000_000)
            let rules = groups.flatMap(\.rules)
            let alerting = rules.filter { if case .alerting = $0 { true } else { false } }.count
            say("\(file): valid rule file: \(groups.count) group\(groups.count == 1 ? "" : "s") (\(groups.map(\.name).joined(separator: ", "))), "
                + "\(alerting) alerting and \(rules.count - alerting) recording rule\(rules.count - alerting == 1 ? "" : "s")")
            return
        }
        if reader.contains("nodes") && !reader.contains("node_id") {
            let configuration = try AgentConfiguration.load(path: file)
            say("\(file): valid agent configuration: \(configuration.inputs.count) input\(configuration.inputs.count == 1 ? "" : "s") "
                + "(\(configuration.inputs.map(\.name).joined(separator: ", "))), forwarding to "
                + "\(configuration.nodes.map(\.description).joined(separator: ", ")) (\(configuration.tls == nil ? "plain TCP, insecure" : "TLS")), "
                + "state in \(configuration.stateDirectory)")
            return
        }
        let configuration = try NodeConfiguration.load(path: file)
        let tenants = Set(configuration.credentials.tokens.values).union(configuration.credentials.certificateNames.values)
        say("\(file): valid node configuration: node \(configuration.nodeID), agents on \(configuration.listenHost):\(configuration.listenPort) "
            + "(\(configuration.tls == nil ? "plain TCP, insecure" : "TLS")), data in \(configuration.dataDirectory), "
            + "\(tenants.count) tenant\(tenants.count == 1 ? "" : "s")"
            + (configuration.rules.isEmpty ? "" : ", \(configuration.rules.count) rule group\(configuration.rules.count == 1 ? "" : "s")")
            + (configuration.cluster.map { ", cluster topology \($0.topology.hash) (\($0.topology.activeMembers.count) nodes), peers on \($0.peerHost):\($0.peerPort)" } ?? ""))
    }
}
