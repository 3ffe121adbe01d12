import ArgumentParser
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import TributaryNode
import TributaryProcess

/// `trib node --config node.yaml`: runs an aggregator node.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a node: accept agents over TLS, store their data in time partitions, answer queries.",
        discussion: """
            Signals: SIGHUP re-reads the TLS files (and, in a cluster, the topology file) and reports \
            other changes to the configuration file, which take effect at a restart; \
            SIGTERM or SIGINT stops accepting, finishes the batches being stored and exits.
            """
    )

    @Option(help: "The node's YAML configuration file.")
    var config: String

    func run() async throws {
        let configuration = try NodeConfiguration.load(path: config)
        let logger = Logger(label: "tributary.node")
        let signals = Signals.watch()
        let node = try await NodeService.start(configuration, logger: logger)
        say("trib node \(configuration.nodeID): accepting agents on \(configuration.listenHost):\(node.port) (\(configuration.tls == nil ? "plain TCP, insecure" : "TLS")); data in \(configuration.dataDirectory)")
        let scheme = configuration.tls == nil ? "http" : "https"
        say("trib node \(configuration.nodeID): HTTP API on \(scheme)://\(configuration.httpHost):\(node.httpPort) (\(configuration.tls == nil ? "plain HTTP, insecure" : "TLS"); /api/v1/query_range, /metrics, /healthz, /readyz)")
        if let cluster = configuration.cluster, let peerPort = node.peerPort {
            let topology = cluster.topology
            say("trib node \(configuration.nodeID): cluster peers on \(cluster.peerHost):\(peerPort); topology \(topology.hash) (replication factor \(topology.replicationFactor), write quorum \(topology.writeQuorum), nodes \(topology.activeMembers.joined(separator: ", ")))")
        }
        if node.recovery.replayedBatches > 0 {
            say("recovered \(node.recovery.replayedBatches) batches from the write-ahead log")
        }
        try await ServiceGroup.runUntilStopped(NodeRunner(node: node, configuration: configuration, path: config, logger: logger,
                                                          reloads: signals.reloads),
                                               signals: signals, logger: logger)
    }
}

/// Writes a line to standard output at once (unbuffered), so scripts and
/// supervisors see it even when stdout is a pipe.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
