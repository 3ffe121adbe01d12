import TributaryCluster
import TributaryModel
import TributaryStorage
import TributaryWire

extension ClusterNode {
    /// How one replica answered a write.
    enum ReplicaAnswer: Sendable {
        case durable(duplicate: Bool)
        case busy(String)
        case failed(String)
        /// Refused for good (the batch does not decode there).
        case refused(String)

        var isDurable: Bool {
            if case .durable = self { return true }
            return false
        }

        var reason: String {
            switch self {
            case .durable: return "stored"
            case .busy(let reason): return "busy: \(reason)"
            case .failed(let reason), .refused(let reason): return reason
            }
        }
    }

    /// Coordinates the write of an agent's batch (already validated into
    /// `records`): every replica of every partition it touches is sent the
    /// batch (each keeps its own partitions' records); the agent is answered
    /// once every partition has `write_quorum` durable copies and this
    /// node's own copy (if it is a replica) is durable, and each replica
    /// that did not confirm gets a durable hint first (`WriteVerdict`).
    /// Otherwise the answer is a retryable NACK, or BUSY when replicas (this
    /// node among them) are busy; replicas that stored it meanwhile store a
    /// retry once.
    func write(_ batch: Batch, records: [Record], tenant: String) async -> IngestSession.StoreResult {
        let (topology, hash) = self.topology.snapshot
        let parts = BatchPart.split(records, tenant: tenant, span: topology.partitionSpan, routing: TopologyRouting(topology: topology))
        var replicasOf: [PartitionKey: [String]] = [:]
        var partsOf: [String: [BatchPart]] = [:]
        for part in parts {
            let replicas = topology.replicas(of: part.key)
            replicasOf[part.key] = replicas
            for node in replicas { partsOf[node, default: []].append(part) }
        }
        let targets = partsOf.keys.sorted()
        let answers = await withTaskGroup(of: (String, ReplicaAnswer).self) { group in
            for node in targets {
                let own = partsOf[node] ?? []
                // This node's own copy mines the records it already decoded.
                let mined = node != nodeID ? [] : own.count == parts.count ? records : records.filter { IngestStore.isIn(own, $0) }
                group.addTask { (node, await self.replicate(batch, parts: own, records: mined, tenant: tenant, to: node, topologyHash: hash)) }
            }
            var answers: [String: ReplicaAnswer] = [:]
            for await (node, answer) in group { answers[node] = answer }
            return answers
        }
        counters.add(.replicatedBatches)
        let missed = targets.filter { answers[$0]?.isDurable != true }
        if !missed.isEmpty { counters.add(.replicaFailures, missed.count) }
        let verdict = WriteVerdict(sequence: batch.sequence, answers: answers, replicasOf: replicasOf, writeQuorum: topology.writeQuorum,
                                   coordinator: nodeID)
        if let shortfall = verdict.shortfall {
            if !verdict.quorumMet { counters.add(.quorumFailures) }
            if case .refused(let nack) = verdict.answer, nack.code == .noQuorum {
                logger.warning("batch \(batch.id) of tenant \(tenant) not acknowledged: \(shortfall)")
            }
            return verdict.answer
        }
        for node in verdict.hinted {
            do {
                try await hints.append(node: node, tenant: tenant, batch: batch)
                counters.add(.hintsWritten)
            } catch {
                counters.add(.hintsDropped)
                logger.error("no hint kept for \(node) (batch \(batch.id)): \(error); repair will copy the data once \(node) is back")
            }
        }
        return verdict.answer
    }

    /// Room for parts in a REPLICATE frame: the peer frame limit is the
    /// agent frame limit plus 1 MiB (`peerLimits`).
    static let maxPartsBytes = (1 << 20) - 4096

    /// What `parts` take in a REPLICATE payload (an upper bound).
    static func encodedSize(of parts: [BatchPart]) -> Int {
        parts.reduce(10) { total, part in
            (part.logStreams + part.metricStreams).reduce(total + 64 + part.key.tenant.utf8.count) { sum, labels in
                labels.reduce(sum + 10) { $0 + $1.name.utf8.count + $1.value.utf8.count + 20 }
            }
        }
    }

    /// One replica's part of a write: this node's own store (`records`:
    /// the decoded records of its `parts`), or a peer.
    private func replicate(_ batch: Batch, parts: [BatchPart], records: [Record], tenant: String, to node: String,
                           topologyHash: String) async -> ReplicaAnswer {
        if node == nodeID {
            do {
                switch try await store.store(batch, records: records, parts: parts, tenant: tenant) {
                case .stored: return .durable(duplicate: false)
                case .duplicate: return .durable(duplicate: true)
                case .busy(_, let detail, _): return .busy(detail)
                }
            } catch {
                return .failed(String(describing: error))
            }
        }
        guard let client = client(node) else { return .failed("\(node) is not in the topology") }
        // Parts of a batch of very many streams could outgrow the frame
        // limit: then the replica routes the batch itself.
        let parts = Self.encodedSize(of: parts) <= Self.maxPartsBytes ? parts : []
        do {
            let answer = try await client.request(timeout: settings.requestTimeout) { id in
                .replicate(requestID: id, topologyHash: topologyHash, tenant: tenant, batch: batch, parts: parts)
            }
            guard case .replicated(_, let status, let detail)? = answer.first else {
                return .failed("\(node) answered REPLICATE with \(answer.first.map { "\($0.frame.type)" } ?? "nothing")")
            }
            switch status {
            case .stored: return .durable(duplicate: false)
            case .duplicate: return .durable(duplicate: true)
            case .busy: return .busy(detail)
            case .refused: return .refused(detail)
            case .topologyMismatch:
                health.failed(node, "runs another topology: \(detail)", mismatch: true)
                return .failed("topology mismatch (\(detail))")
            case .failed: return .failed(detail)
            }
        } catch {
            return .failed(String(describing: error))
        }
    }
}
