import Foundation
import Logging
import NIOCore
import Synchronization
import TributaryCluster
import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryTLS
import TributaryWire

/// A node's part in the cluster. As coordinator it splits each agent batch
/// by partition, has every replica store it and acknowledges once each
/// partition reached the write quorum, keeping durable hints for replicas
/// that did not confirm. As replica it answers its peers (`PeerService`).
/// For queries it asks one live replica per partition and merges.
///
/// Peers' connections are made from the topology in force; a topology
/// change (SIGHUP) drops them so that every peer handshakes again.
public final class ClusterNode: PeerService, Sendable {
    public let nodeID: String
    /// This node's `IngestCredentials.fingerprint` (empty: not compared).
    let credentialsHash: String
    let topology: TopologyStore
    let settings: ClusterSettings
    let store: IngestStore
    let hints: HintStore
    public let health = PeerHealth()
    let counters = ClusterCounters()
    let limits: WireLimits
    let logger: Logger
    /// Oldest data kept for a tenant (its retention), so queries over
    /// wide ranges do not enumerate buckets that cannot exist.
    let retention: @Sendable (String) -> Int64
    let onCorruptBlock: @Sendable (BlockError) async -> Void
    /// The query pool and deadline for queries peers ask of this node.
    let queries: QueryScheduler
    private let group: EventLoopGroup
    let tls: TLSContextStore?
    private let clients = Mutex<[String: PeerClient]>([:])
    /// Repair progress, for status and metrics.
    let repairState = Mutex(RepairProgress())

    init(nodeID: String, topology: TopologyStore, settings: ClusterSettings, store: IngestStore, hints: HintStore, limits: WireLimits,
         group: EventLoopGroup, tls: TLSContextStore?, retention: @escaping @Sendable (String) -> Int64,
         onCorruptBlock: @escaping @Sendable (BlockError) async -> Void, queries: QueryScheduler, credentialsHash: String = "",
         logger: Logger) {
        self.nodeID = nodeID
        self.credentialsHash = credentialsHash
        self.topology = topology
        self.settings = settings
        self.store = store
        self.hints = hints
        self.limits = limits
        self.group = group
        self.tls = tls
        self.retention = retention
        self.onCorruptBlock = onCorruptBlock
        self.queries = queries
        self.logger = logger
    }

    /// Peer frames carry a whole BATCH frame plus a few fields.
    static func peerLimits(_ limits: WireLimits) -> WireLimits {
        var peer = limits
        peer.maxFrameBytes = limits.maxFrameBytes + 1 << 20
        return peer
    }

    public var topologyHash: String { topology.hash }

    /// The client of `node`, made on first use.
    func client(_ node: String) -> PeerClient? {
        guard node != nodeID, let member = topology.current.nodes[node] else { return nil }
        return clients.withLock { clients in
            if let client = clients[node], client.member == member { return client }
            let client = PeerClient(member: member, nodeID: nodeID, topologyHash: { [topology] in topology.hash }, group: group,
                                    tls: tls, limits: Self.peerLimits(limits), health: health, logger: logger,
                                    credentialsHash: credentialsHash, onCredentials: { [self] node, theirs in peerCredentials(node, theirs) })
            clients[node] = client
            return client
        }
    }

    /// Re-reads the topology file (SIGHUP). A changed topology drops every
    /// peer connection so that each handshakes again with the new hash.
    public func reloadTopology() async {
        do {
            let held = await store.partitions.list().map(\.key)
            guard let changed = try topology.reload(held: held) else {
                logger.notice("topology \(topology.path) unchanged (\(topologyHash))")
                return
            }
            let old = clients.withLock { clients in
                defer { clients = [:] }
                return Array(clients.values)
            }
            for client in old { client.reset() }
            health.clearMismatches()
            logger.notice("topology \(topology.path) reloaded: now \(changed.hash), \(changed.epochs.count) epochs, nodes \(changed.activeMembers.joined(separator: ", "))")
        } catch {
            logger.error("cannot reload the topology (keeping \(topologyHash)): \(error)")
        }
    }

    // MARK: PeerService

    func isMember(_ node: String) -> Bool {
        topology.current.nodes[node] != nil && node != nodeID
    }

    func peerMismatched(_ node: String, theirs: String) {
        counters.add(.topologyRefusals)
        let reason = "\(node) runs topology \(theirs), this node runs \(topologyHash): refused; give every node the same topology file and send SIGHUP"
        logger.error("\(reason)")
        health.failed(node, reason, topologyHash: theirs, mismatch: true)
    }

    func peerConnected(_ node: String) {
        health.succeeded(node, topologyHash: topologyHash)
    }

    func peerCredentials(_ node: String, _ theirs: String) {
        // An older node announces nothing: nothing to compare.
        let differ = !theirs.isEmpty && !credentialsHash.isEmpty && theirs != credentialsHash
        guard health.credentials(node, differ: differ) else { return }
        if differ {
            logger.error("\(node) has other tenants, tokens or roles than this node (credentials \(theirs), here \(credentialsHash)): an agent or client accepted by one is refused by the other (REJECT, 401). Give every node the same tenants section and restart")
        } else {
            logger.notice("\(node) now has the same tenants, tokens and roles as this node")
        }
    }

    func answer(_ message: PeerMessage, from node: String) async -> [PeerMessage] {
        let ours = topologyHash
        switch message {
        case .replicate(let id, let hash, let tenant, let batch, let parts):
            guard hash == ours else {
                counters.add(.topologyRefusals)
                logger.error("refused a batch from \(node): it routes by topology \(hash), this node runs \(ours)")
                return [.replicated(requestID: id, status: .topologyMismatch, detail: "this node runs topology \(ours), the coordinator \(hash)")]
            }
            let (status, detail) = await storeReplica(batch, parts: parts, tenant: tenant)
            return [.replicated(requestID: id, status: status, detail: detail)]
        case .queryLogs(let id, let query):
            guard query.topologyHash == ours else { return [Self.mismatchPage(id, ours: ours, theirs: query.topologyHash)] }
            return await answerLogs(id, query)
        case .querySeries(let id, let query):
            guard query.topologyHash == ours else { return [Self.mismatchPage(id, ours: ours, theirs: query.topologyHash)] }
            return await answerSeries(id, query)
        case .queryLogRange(let id, let query):
            guard query.topologyHash == ours else { return [Self.mismatchPage(id, ours: ours, theirs: query.topologyHash)] }
            return await answerLogRange(id, query)
        case .fetch(let id, let hash, let key):
            guard hash == ours else { return [Self.mismatchPage(id, ours: ours, theirs: hash)] }
            return await answerFetch(id, key)
        case .listPartitions(let id):
            let hintsForAsker = await hints.pending()[node]?.hints ?? 0
            return [.partitionList(requestID: id, hintsForAsker: hintsForAsker, await localSummaries())]
        case .hints(let id):
            return [.partitionList(requestID: id, hintsForAsker: await hints.pending()[node]?.hints ?? 0, [])]
        case .hello, .welcome, .replicated, .records, .partitionList:
            return [.records(requestID: message.requestID ?? 0, RecordsPage(more: false, error: "a node does not accept \(message.frame.type) as a request"))]
        }
    }

    static func mismatchPage(_ id: UInt64, ours: String, theirs: String) -> PeerMessage {
        .records(requestID: id, RecordsPage(more: false, error: "topology mismatch: this node runs \(ours), the asking node \(theirs)"))
    }

    /// Stores a batch a coordinator sent: the records of the partitions
    /// this node replicates go to them. With `parts` nothing is decoded;
    /// without (a replayed hint) the store's routing cuts the records.
    func storeReplica(_ batch: Batch, parts: [BatchPart], tenant: String) async -> (ReplicaStatus, String) {
        do {
            let outcome: IngestStore.Outcome
            if parts.isEmpty {
                let records: [Record]
                do {
                    // The coordinator checked it against its limits already.
                    records = try BatchDecoder(limits: .unlimitedForStoredBatches).decode(batch)
                } catch {
                    return (.refused, "the batch does not decode: \(error)")
                }
                outcome = try await store.store(batch, records: records, tenant: tenant)
            } else {
                outcome = try await store.store(batch, parts: parts, tenant: tenant)
            }
            switch outcome {
            case .stored: return (.stored, "")
            case .duplicate: return (.duplicate, "")
            case .busy(_, let detail, _): return (.busy, detail)
            }
        } catch {
            return (.failed, String(describing: error))
        }
    }

    /// Every partition this node holds, all tenants.
    func localSummaries() async -> [PartitionSummary] {
        await store.partitions.list().map { entry in
            PartitionSummary(key: entry.key, sealed: entry.seal != nil, records: entry.seal?.records ?? 0, digest: entry.seal?.digest ?? "")
        }
    }

    /// Records as RECORDS pages of at most 10,000 records or about 2 MiB
    /// of record bytes each, whichever comes first, so every page fits a
    /// peer frame whatever the lines' lengths.
    static func pages(_ id: UInt64, records: [Record], warnings: [String], error: String? = nil) -> [PeerMessage] {
        let encoder = BatchEncoder(compression: .fastest, limits: .unlimitedForStoredBatches)
        var pages: [PeerMessage] = []
        var start = 0
        repeat {
            var end = start
            var bytes = 0
            while end < records.count, end - start < 10_000, end == start || bytes + Self.approximateBytes(records[end]) <= 2 << 20 {
                bytes += Self.approximateBytes(records[end])
                end += 1
            }
            var page = RecordsPage(more: end < records.count)
            if start < end {
                do {
                    page.batch = try encoder.encode(Array(records[start..<end]), agentID: "query", sequence: UInt64(pages.count + 1))
                } catch {
                    return [.records(requestID: id, RecordsPage(more: false, error: "cannot encode the answer: \(error)"))]
                }
            }
            if !page.more {
                page.warnings = warnings
                page.error = error
            }
            pages.append(.records(requestID: id, page))
            start = end
        } while start < records.count
        return pages
    }

    /// A record's size in a batch body, roughly.
    static func approximateBytes(_ record: Record) -> Int {
        let labels = record.labels.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 }
        switch record {
        case .log(let log): return 24 + labels + log.message.readableBytes + log.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 }
        case .event(let event): return 24 + labels + event.message.readableBytes + event.type.utf8.count
        case .metric(let sample): return 32 + labels + sample.name.utf8.count
        }
    }

    /// The records of every page of an answer, its warnings and its error.
    static func records(of answer: [PeerMessage], from node: String) throws -> (records: [Record], warnings: [String]) {
        var records: [Record] = []
        var warnings: [String] = []
        let decoder = BatchDecoder(limits: .unlimitedForStoredBatches)
        for message in answer {
            guard case .records(_, let page) = message else { throw PeerError.unexpectedAnswer(node: node, "\(message.frame.type)") }
            if let error = page.error { throw PeerError.refused(node: node, reason: error) }
            warnings += page.warnings
            if let batch = page.batch { records += try decoder.decode(batch) }
        }
        return (records, warnings)
    }

    // MARK: Background work

    /// Replays hints to peers that answer again, every
    /// `hint_replay_interval` (a second unless configured).
    func replayHints() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.hintReplayInterval)
            for (node, pending) in await hints.pending() where pending.hints > 0 {
                guard let client = client(node), client.isAvailable else { continue }
                let timeout = settings.requestTimeout
                let topology = self.topology
                let logger = self.logger
                let delivered = await hints.replay(node: node) { tenant, batch in
                    do {
                        let answer = try await client.request(timeout: timeout) { id in
                            .replicate(requestID: id, topologyHash: topology.hash, tenant: tenant, batch: batch, parts: [])
                        }
                        guard case .replicated(_, let status, let detail)? = answer.first else { return false }
                        if status == .refused {
                            logger.error("\(node) refused hinted batch \(batch.id) for good (\(detail)); dropping the hint")
                            return true
                        }
                        return status.isDurable
                    } catch {
                        return false
                    }
                }
                if delivered > 0 {
                    counters.add(.hintsReplayed, delivered)
                    logger.notice("replayed \(delivered) hinted batches to \(node)")
                }
            }
        }
    }

    func close() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { client.reset() }
        await hints.close()
    }
}
