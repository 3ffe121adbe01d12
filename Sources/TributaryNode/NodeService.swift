import Logging
import NIOCore
import NIOPosix
import TributaryStorage
import TributaryTLS

/// A running node: its store, its agent listener and its TLS context,
/// started from a `NodeConfiguration` and stopped in reverse order.
public final class NodeService: Sendable {
    public let configuration: NodeConfiguration
    public let recovery: WALRecoveryReport
    private let group: MultiThreadedEventLoopGroup
    private let store: IngestStore
    private let server: IngestServer
    private let tls: TLSContextStore?
    private let watcher: Task<Void, Never>?
    private let logger: Logger

    /// The agent listener's port (the real one when configured as 0).
    public var port: Int { server.port }

    private init(configuration: NodeConfiguration, recovery: WALRecoveryReport, group: MultiThreadedEventLoopGroup, store: IngestStore,
                 server: IngestServer, tls: TLSContextStore?, watcher: Task<Void, Never>?, logger: Logger) {
        self.configuration = configuration
        self.recovery = recovery
        self.group = group
        self.store = store
        self.server = server
        self.tls = tls
        self.watcher = watcher
        self.logger = logger
    }

    public static func start(_ configuration: NodeConfiguration, logger: Logger) async throws -> NodeService {
        let tls = try configuration.tls.map { configuration throws(TLSError) in try TLSContextStore(configuration: configuration, role: .server) }
        if tls == nil {
            logger.warning("insecure: true — accepting plain TCP without TLS; anyone on the network can read and forge data")
        }
        let (store, recovery) = try IngestStore.open(directory: configuration.dataDirectory)
        for truncation in recovery.truncations {
            logger.notice("write-ahead log \(truncation.file): cut \(truncation.droppedBytes) unacknowledged bytes left by a crash (\(truncation.reason))")
        }
        for quarantine in recovery.quarantines {
            logger.error("write-ahead log \(quarantine.file) is damaged (\(quarantine.reason)): kept \(quarantine.keptRecords) records, the rest copied to \(quarantine.file).corrupt; check the disk")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server: IngestServer
        do {
            server = try await IngestServer.start(
                host: configuration.listenHost, port: configuration.listenPort, group: group, tls: tls, store: store,
                credentials: configuration.credentials, nodeID: configuration.nodeID, limits: configuration.limits,
                window: configuration.window, recordBounds: configuration.recordBounds, logger: logger)
        } catch {
            await store.close()
            try? await group.shutdownGracefully()
            throw NodeStartError.cannotListen(address: "\(configuration.listenHost):\(configuration.listenPort)", reason: String(describing: error))
        }
        let watcher = tls.map { tls in
            Task {
                await tls.watchFiles(every: .seconds(5)) { result in
                    switch result {
                    case .success: logger.notice("TLS certificate files changed: new connections use them")
                    case .failure(let error): logger.error("TLS certificate files changed but cannot be used (keeping the previous ones): \(error)")
                    }
                }
            }
        }
        return NodeService(configuration: configuration, recovery: recovery, group: group, store: store, server: server,
                           tls: tls, watcher: watcher, logger: logger)
    }

    /// Re-reads the TLS files now (SIGHUP). Keeps the old ones on failure.
    public func reloadTLS() {
        guard let tls else { return }
        do {
            try tls.reload()
            logger.notice("TLS files reloaded: new connections use them")
        } catch {
            logger.error("TLS reload failed, keeping the previous certificate: \(error)")
        }
    }

    /// Stops accepting, lets stores under way finish, closes the log.
    public func stop() async {
        watcher?.cancel()
        try? await server.stop()
        await store.close()
        try? await group.shutdownGracefully()
    }
}

public enum NodeStartError: Error, CustomStringConvertible {
    case cannotListen(address: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            return "cannot listen on \(address): \(reason) (is another process using the port?)"
        }
    }
}
