import Foundation
import Logging
import TributaryCluster
import TributaryFreePort
import TributaryNode
import TributaryPKI
import TributaryTLS

/// Nodes of a cluster in this process for the cluster benchmark: a CA in
/// `directory` (`ca.pem` for clients), a certificate per node, a topology
/// of `count` nodes with replication factor `replicas` and write quorum
/// `quorum`, each node with its own data directory and event loops.
enum BenchCluster {
    static func start(directory: URL, count: Int, replicas: Int, quorum: Int, token: String, name: String) async throws -> [NodeService] {
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        var logger = Logger(label: "tributary.bench.cluster")
        logger.logLevel = ProcessInfo.processInfo.environment["TRIB_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let ids = (1...count).map { "\(name)-node-\($0)" }
        var members: [ClusterMember] = []
        for id in ids {
            members.append(ClusterMember(id: id, peer: "127.0.0.1:\(try FreePort.find())"))
        }
        let topology = Topology(replicationFactor: replicas, writeQuorum: quorum, partitionSpan: 3_600_000_000_000, nodes: members,
                                epochs: [TopologyEpoch(from: Int64.min, members: ids, shards: Topology.defaultShards(members: count))])
        let topologyPath = directory.appendingPathComponent("topology-\(name).yaml").path
        try topology.write(to: topologyPath)
        var nodes: [NodeService] = []
        for member in members {
            let files = try CertificateFiles.write(
                authority.issue(commonName: member.id, dnsNames: [member.id, "localhost"], ipAddresses: ["127.0.0.1"]), name: member.id, to: directory)
            var tls = TLSConfiguration()
            tls.certificateChainFile = files.certificate.path
            tls.privateKeyFile = files.key.path
            tls.trustedCAFile = directory.appendingPathComponent("ca.pem").path
            var configuration = NodeConfiguration(
                nodeID: member.id, dataDirectory: directory.appendingPathComponent("data-\(member.id)").path, tls: tls,
                credentials: IngestCredentials(tokens: [token: "bench"]), minFreeBytes: 0)
            let port = Int(member.peer.split(separator: ":").last!)!
            configuration.cluster = ClusterSettings(topologyPath: topologyPath, topology: topology, peerHost: "127.0.0.1", peerPort: port)
            nodes.append(try await NodeService.start(configuration, logger: logger))
        }
        return nodes
    }
}

