import Foundation
import Logging
import TributaryNode
import TributaryPKI
import TributaryStorage
import TributaryTLS

/// The node the ingest and agent benchmarks send to: a development CA and
/// a certificate for 127.0.0.1 in `directory` (`ca.pem` for clients), and a
/// `NodeService` in this process accepting `token` for tenant `bench`.
enum BenchNode {
    static func start(directory: URL, token: String, storage: PartitionSettings = PartitionSettings()) async throws -> NodeService {
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let nodeFiles = try CertificateFiles.write(
            authority.issue(commonName: "bench-node", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]), name: "bench-node", to: directory)
        var serverTLS = TLSConfiguration()
        serverTLS.certificateChainFile = nodeFiles.certificate.path
        serverTLS.privateKeyFile = nodeFiles.key.path
        var logger = Logger(label: "tributary.bench.node")
        logger.logLevel = ProcessInfo.processInfo.environment["TRIB_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return try await NodeService.start(NodeConfiguration(
            nodeID: "bench-node", dataDirectory: directory.appendingPathComponent("data").path, tls: serverTLS,
            credentials: IngestCredentials(tokens: [token: "bench"]), storage: storage, minFreeBytes: 0), logger: logger)
    }
}
