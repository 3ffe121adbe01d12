import Foundation
import Logging
import NIOCore
import NIOPosix
import TributaryStorage
import TributaryModel
import TributaryTLS
import TributaryWire

/// A running node: its store, its agent listener, its HTTP API and its
/// background work (flushing, sealing and retention, disk watch), started
/// from a `NodeConfiguration` and stopped in reverse order.
public final class NodeService: Sendable {
    public let configuration: NodeConfiguration
    public let recovery: IngestStore.Recovery
    private let group: MultiThreadedEventLoopGroup
    private let store: IngestStore
    private let server: IngestServer
    private let http: NodeHTTPServer
    private let tls: TLSContextStore?
    /// The node's part in a cluster, if it is in one, with its peer listener
    /// and the TLS contexts of node-to-node connections.
    public let cluster: ClusterNode?
    private let peerServer: PeerServer?
    private let peerTLS: [TLSContextStore]
    private let background: [Task<Void, Never>]
    let logger: Logger
    /// Query admission and the query threads; stopped first at shutdown.
    private let queries: QueryScheduler
    /// Rule evaluation and notifications (nil without rules or receivers).
    let ruleManager: RuleManager?
    private let notifierTasks: [Task<Void, Never>]

    /// The agent listener's port (the real one when configured as 0).
    public var port: Int { server.port }
    /// The HTTP API's port.
    public var httpPort: Int { http.port }
    /// The node-to-node port, in a cluster.
    public var peerPort: Int? { peerServer?.port }

    private init(configuration: NodeConfiguration, recovery: IngestStore.Recovery, group: MultiThreadedEventLoopGroup, store: IngestStore,
                 server: IngestServer, http: NodeHTTPServer, tls: TLSContextStore?, cluster: ClusterNode?, peerServer: PeerServer?,
                 peerTLS: [TLSContextStore], background: [Task<Void, Never>], queries: QueryScheduler, rules: RuleManager?,
                 notifierTasks: [Task<Void, Never>], logger: Logger) {
        self.queries = queries
        self.ruleManager = rules
        self.notifierTasks = notifierTasks
        self.configuration = configuration
        self.recovery = recovery
        self.group = group
        self.store = store
        self.server = server
        self.http = http
        self.tls = tls
        self.cluster = cluster
        self.peerServer = peerServer
        self.peerTLS = peerTLS
        self.background = background
        self.logger = logger
    }

    public static func start(_ configuration: NodeConfiguration, logger: Logger) async throws -> NodeService {
        let tls = try configuration.tls.map { configuration throws(TLSError) in try TLSContextStore(configuration: configuration, role: .server) }
        if tls == nil {
            logger.warning("insecure: true — accepting plain TCP without TLS; anyone on the network can read and forge data")
            logger.warning("insecure: true — the HTTP API is plain HTTP: tokens and query results cross the network in the clear")
        }
        let topology = configuration.cluster.map {
            TopologyStore(nodeID: configuration.nodeID, path: $0.topologyPath, topology: $0.topology)
        }
        let (store, recovery) = try await IngestStore.open(directory: configuration.dataDirectory, settings: configuration.storage,
                                                           routing: topology ?? SingleNodeRouting(), limits: configuration.limits)
        Self.log(recovery, logger: logger)
        let metrics = NodeMetrics()
        let diskState = DiskState()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server: IngestServer
        let http: NodeHTTPServer
        let onCorrupt: @Sendable (BlockError) async -> Void = { error in
            guard case .corrupt(let path, let detail) = error else { return }
            if let event = await store.partitions.quarantine(path: path, reason: detail) {
                metrics.countQuarantined()
                logger.error("\(event)")
            }
        }
        let queries = QueryScheduler(settings: configuration.query)
        var cluster: ClusterNode?
        var peerTLS: [TLSContextStore] = []
        if let settings = configuration.cluster, let topology {
            var peerClientTLS: TLSContextStore?
            do {
                if var base = configuration.tls {
                    base.requireClientCertificate = true
                    peerTLS.append(try TLSContextStore(configuration: base, role: .server))
                    base.requireClientCertificate = false
                    peerClientTLS = try TLSContextStore(configuration: base, role: .client)
                    peerTLS.append(peerClientTLS!)
                } else {
                    logger.warning("insecure: true — node-to-node traffic is plain TCP and unauthenticated")
                }
                let hints = try await HintStore.open(directory: configuration.dataDirectory + "/hints", maxBytes: settings.maxHintBytes)
                let storage = configuration.storage
                cluster = ClusterNode(nodeID: configuration.nodeID, topology: topology, settings: settings, store: store, hints: hints,
                                      limits: configuration.limits, group: group, tls: peerClientTLS,
                                      retention: { storage.retention(of: $0) }, onCorruptBlock: onCorrupt, queries: queries,
                                      credentialsHash: configuration.credentials.fingerprint, logger: logger)
            } catch {
                _ = await store.close()
                try? await group.shutdownGracefully()
                throw error
            }
        }
        let rules = try Self.makeRules(configuration, store: store, cluster: cluster, queries: queries, logger: logger)
        var api = NodeAPI(store: store, queries: queries, cluster: cluster, metrics: metrics, gauges: {
            var gauges = NodeMetrics.Gauges()
            gauges.wal = (try? await store.statistics()) ?? WALStatistics()
            let partitions = await store.partitions.list()
            gauges.sealedPartitions = partitions.filter { $0.seal != nil }.count
            gauges.openPartitions = partitions.count - gauges.sealedPartitions
            gauges.headBytes = await store.partitions.memoryBytes
            let disk = diskState.current
            gauges.diskUsedBytes = disk.used
            gauges.diskFreeBytes = disk.free
            gauges.ingestPaused = await store.isDiskBlocked
            return gauges
        }, onCorruptBlock: onCorrupt)
        api.rules = rules
        let fleet = FleetRegistry(nodeID: configuration.nodeID, settings: configuration.fleet)
        api.fleet = fleet
        api.pushReceiver = PushReceiver(configuration, store: store, cluster: cluster, metrics: metrics, logger: logger)
        let fleetConfig = FleetConfigService(nodeID: configuration.nodeID, storage: FleetConfigStore(
            writer: RuleWriter(store: store, cluster: cluster, agentID: "fleet." + configuration.nodeID),
            reader: RuleQueryRunner(store: store, cluster: cluster, queries: queries),
            retention: configuration.storage.retention(of: FleetConfigStore.tenant)), logger: logger)
        api.fleetConfig = fleetConfig
        api.pushReceiver?.fleet = fleet
        do {
            server = try await IngestServer.start(
                host: configuration.listenHost, port: configuration.listenPort, group: group, tls: tls, store: store, cluster: cluster,
                credentials: configuration.credentials, nodeID: configuration.nodeID, limits: configuration.limits,
                window: configuration.window, recordBounds: configuration.recordBounds, tenantLimits: configuration.tenantLimits,
                metrics: metrics, fleetConfig: fleetConfig, fleet: fleet, logger: logger)
        } catch {
            _ = await store.close()
            try? await group.shutdownGracefully()
            throw NodeStartError.cannotListen(address: "\(configuration.listenHost):\(configuration.listenPort)", reason: String(describing: error))
        }
        do {
            http = try await NodeHTTPServer.start(host: configuration.httpHost, port: configuration.httpPort, api: api, tls: tls,
                                                  credentials: configuration.credentials, settings: configuration.http, logger: logger)
        } catch {
            try? await server.stop()
            _ = await store.close()
            try? await group.shutdownGracefully()
            throw NodeStartError.cannotListen(address: "\(configuration.httpHost):\(configuration.httpPort) (http_listen)", reason: String(describing: error))
        }
        var peerServer: PeerServer?
        if let cluster, let settings = configuration.cluster {
            do {
                peerServer = try await PeerServer.start(host: settings.peerHost, port: settings.peerPort, group: group, tls: peerTLS.first,
                                                        limits: ClusterNode.peerLimits(configuration.limits), service: cluster, logger: logger)
            } catch {
                await http.stop()
                try? await server.stop()
                _ = await store.close()
                try? await group.shutdownGracefully()
                throw NodeStartError.cannotListen(address: "\(settings.peerHost):\(settings.peerPort) (cluster.peer_listen)", reason: String(describing: error))
            }
        }
        var background: [Task<Void, Never>] = []
        background.append(Task { await Self.flushLoop(store, logger: logger) })
        background.append(Task { await Self.maintenanceLoop(store, metrics: metrics, logger: logger) })
        background.append(Task { await Self.diskLoop(store, configuration: configuration, state: diskState, logger: logger) })
        background.append(Task { await fleetConfig.pollLoop() })
        if let cluster {
            background.append(Task { await cluster.replayHints() })
            background.append(Task { await cluster.repairLoop() })
        }
        for peer in peerTLS {
            background.append(Task { await peer.watchFiles(every: .seconds(5)) { _ in } })
        }
        if let tls {
            background.append(Task {
                await tls.watchFiles(every: .seconds(5)) { result in
                    switch result {
                    case .success: logger.notice("TLS certificate files changed: new connections use them")
                    case .failure(let error): logger.error("TLS certificate files changed but cannot be used (keeping the previous ones): \(error)")
                    }
                }
            })
        }
        let notifierTasks = rules?.notifier.start() ?? []
        await rules?.start(configuration.rules)
        return NodeService(configuration: configuration, recovery: recovery, group: group, store: store, server: server, http: http,
                           tls: tls, cluster: cluster, peerServer: peerServer, peerTLS: peerTLS, background: background, queries: queries,
                           rules: rules, notifierTasks: notifierTasks, logger: logger)
    }

    private static func log(_ recovery: IngestStore.Recovery, logger: Logger) {
        for truncation in recovery.wal.truncations {
            logger.notice("write-ahead log \(truncation.file): cut \(truncation.droppedBytes) unacknowledged bytes left by a crash (\(truncation.reason))")
        }
        for quarantine in recovery.wal.quarantines {
            logger.error("write-ahead log \(quarantine.file) is damaged (\(quarantine.reason)): kept \(quarantine.keptRecords) records, the rest copied to \(quarantine.file).corrupt; check the disk")
        }
        for event in recovery.partitionEvents { logger.notice("\(event)") }
        for problem in recovery.undecodable { logger.error("skipped \(problem)") }
        if let warning = recovery.patternWarning { logger.warning("\(warning)") }
        if recovery.replayedBatches > 0 {
            logger.notice("replayed \(recovery.replayedBatches) batches from the write-ahead log into memory")
        }
    }

    /// Writes heads to blocks when due; retries after failures (a full
    /// disk) without losing anything: the log still holds every record.
    private static func flushLoop(_ store: IngestStore, logger: Logger) async {
        var failing = false
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            do {
                let began = ContinuousClock.now
                if let through = try await store.flushIfDue() {
                    logger.debug("flushed heads through write-ahead-log record \(through) in \(ContinuousClock.now - began)")
                }
                if failing { logger.notice("writing blocks works again") }
                failing = false
            } catch {
                if !failing { logger.error("cannot write blocks (will retry; nothing acknowledged is lost, the write-ahead log keeps it): \(error)") }
                failing = true
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private static func maintenanceLoop(_ store: IngestStore, metrics: NodeMetrics, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(2))
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            for event in await store.partitions.maintain(now: now) {
                switch event {
                case .quarantined:
                    metrics.countQuarantined()
                    logger.error("\(event)")
                case .failed: logger.warning("\(event)")
                default: logger.info("\(event)")
                }
            }
        }
    }

    /// Pauses ingest (BUSY) while `max_disk_bytes` or `min_free_bytes` is
    /// reached, and resumes by itself once space returns.
    private static func diskLoop(_ store: IngestStore, configuration: NodeConfiguration, state: DiskState, logger: Logger) async {
        var wasBlocked = false
        while !Task.isCancelled {
            let used = DiskUsage.used(configuration.dataDirectory)
            let free = DiskUsage.free(configuration.dataDirectory) ?? Int.max
            state.update(used: used, free: free == Int.max ? 0 : free)
            var reason: String?
            if configuration.maxDiskBytes > 0 && used >= configuration.maxDiskBytes {
                reason = "the data directory holds \(used) bytes, at storage.max_disk_bytes (\(configuration.maxDiskBytes)): not stored; retry later (retention frees space, or raise the limit)"
            } else if free < configuration.minFreeBytes {
                reason = "only \(free) bytes free on the data directory's file system, below storage.min_free_bytes (\(configuration.minFreeBytes)): not stored; retry later"
            }
            await store.setDiskBlocked(reason)
            if let reason, !wasBlocked { logger.error("ingest paused, answering BUSY: \(reason)") }
            if reason == nil, wasBlocked { logger.notice("disk space is back within limits: ingest resumed") }
            wasBlocked = reason != nil
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Stores a batch in-process, as if an agent of `tenant` had sent it
    /// (benchmarks and the demo load data this way).
    public func ingest(_ batch: Batch, records: [Record], tenant: String) async throws -> IngestStore.Outcome {
        try await store.store(batch, records: records, tenant: tenant)
    }

    /// Every partition with its seal, if sealed.
    public func partitions() async -> [(key: PartitionKey, seal: PartitionSeal?)] {
        await store.partitions.list()
    }

    /// Memory held by records not yet written to blocks (heads, and heads
    /// being flushed): what ingest is paused on at `max_head_bytes`.
    public func headBytes() async -> Int {
        await store.partitions.memoryBytes
    }

    /// Writes the heads to blocks now.
    public func flush() async throws {
        try await store.flushIfDue(force: true)
    }

    /// The write-ahead log's appends, syncs and sync latencies so far.
    public func walStatistics() async throws -> WALStatistics {
        try await store.statistics()
    }

    /// Re-reads the TLS files now (SIGHUP). Keeps the old ones on failure.
    public func reloadTLS() {
        guard let tls else { return }
        do {
            try tls.reload()
            for peer in peerTLS { try peer.reload() }
            logger.notice("TLS files reloaded: new connections use them")
        } catch {
            logger.error("TLS reload failed, keeping the previous certificate: \(error)")
        }
    }

    /// SIGHUP: the TLS files and, in a cluster, the topology file.
    public func reload() async {
        reloadTLS()
        await cluster?.reloadTopology()
    }

    /// Stops accepting, lets stores under way finish (and be answered),
    /// writes the heads to blocks, closes the log, then the connections.
    public func stop() async {
        // Running queries stop now (503), so the HTTP server's graceful
        // shutdown does not wait for them.
        await ruleManager?.stop()
        for task in notifierTasks { task.cancel() }
        await ruleManager?.notifier.shutdown()
        queries.cancelAll()
        for task in background { task.cancel() }
        try? await server.stop()
        await http.stop()
        await peerServer?.stop()
        if let error = await store.close() {
            logger.error("could not write the last blocks at shutdown (the write-ahead log still has them; the next start replays it): \(error)")
        }
        await server.closeConnections()
        await cluster?.close()
        await queries.shutdown()
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
