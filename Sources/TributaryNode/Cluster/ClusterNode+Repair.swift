import Foundation
import TributaryCluster
import TributaryModel
import TributaryStorage
import TributaryWire

extension ClusterNode {
    /// Partitions above this many records are not repaired in one piece
    /// (the comparison holds both copies in memory); they are reported.
    static let maxRepairRecords = 2_000_000

    /// Runs a repair pass every `repair_interval` (and when asked).
    func repairLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.repairInterval)
            guard !Task.isCancelled else { return }
            await repairPass()
        }
    }

    /// Anti-entropy: compares the sealed partitions this node replicates
    /// with its peers' copies. It runs only while every active peer answers
    /// and none keeps hints for this node: a hint delivered after repair
    /// copied the same records would store them twice (hints carry batch
    /// identities, repair copies records), so hints always go first. A
    /// node that is gone for good must be removed from the topology for
    /// repair to resume. Where this node lacks a partition a peer has
    /// sealed, or both are sealed with different digests, it fetches the
    /// peer's records and stores those it lacks: for each distinct record,
    /// as many copies as the peer has beyond its own (a multiset union).
    /// Both sides do this, so replicas converge to the same records, and
    /// sealing makes their digests equal. Returns partitions repaired.
    @discardableResult
    func repairPass() async -> Int {
        let begun = repairState.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            return true
        }
        guard begun else { return 0 }
        counters.add(.repairRuns)
        let topology = self.topology.current
        var peerCopies: [PartitionKey: [(node: String, summary: PartitionSummary)]] = [:]
        var errors: [String] = []
        var paused: String?
        // Removed nodes that still answer are sources too (their partitions
        // are copied to their new replicas); only active ones can pause it.
        let removedSources = topology.removed.filter { $0 != nodeID }.sorted()
        for member in topology.activeMembers.filter({ $0 != nodeID }) + removedSources {
            guard let client = client(member) else { continue }
            let isRemoved = topology.removed.contains(member)
            if isRemoved, !client.isAvailable { continue }
            do {
                let answer = try await client.request(timeout: settings.requestTimeout) { .listPartitions(requestID: $0) }
                guard case .partitionList(_, let hintsForMe, let summaries)? = answer.first else { continue }
                if hintsForMe > 0 {
                    paused = paused ?? "paused: \(member) still holds \(hintsForMe) hints for this node (repair resumes once they are delivered)"
                }
                for summary in summaries where summary.sealed && topology.replicas(of: summary.key).contains(nodeID) {
                    peerCopies[summary.key, default: []].append((member, summary))
                }
            } catch {
                if isRemoved { continue }
                paused = paused ?? "paused: \(member) does not answer (\(error)); it may hold hints for this node. Remove it from the topology if it is gone for good"
            }
        }
        if let paused {
            repairState.withLock { state in
                state.running = false
                state.passes += 1
                state.lastPass = Date().timeIntervalSince1970
                state.lastError = paused
            }
            return 0
        }
        let local = Dictionary(await localSummaries().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var differing = 0
        var repaired = 0
        for (key, copies) in peerCopies.sorted(by: { $0.key < $1.key }) {
            let mine = local[key]
            if let mine, !mine.sealed { continue }  // still changing here: compared once sealed
            let others = copies.filter { $0.summary.digest != mine?.digest }
            guard !others.isEmpty else { continue }
            differing += 1
            for (node, summary) in others {
                guard summary.records <= Self.maxRepairRecords else {
                    errors.append("\(key) on \(node) holds \(summary.records) records, above the \(Self.maxRepairRecords) repaired in one piece")
                    continue
                }
                do {
                    let copied = try await repair(key, from: node)
                    if copied > 0 {
                        repaired += 1
                        counters.add(.repairedPartitions)
                        counters.add(.repairedRecords, copied)
                        repairState.withLock {
                            $0.repairedPartitions += 1
                            $0.copiedRecords += copied
                        }
                        logger.notice("repair: copied \(copied) records of \(key) from \(node)")
                    }
                } catch {
                    counters.add(.repairFailures)
                    errors.append("\(key) from \(node): \(error)")
                }
            }
        }
        let compared = peerCopies.count
        repairState.withLock { state in
            state.running = false
            state.passes += 1
            state.lastPass = Date().timeIntervalSince1970
            state.compared = compared
            state.differing = differing
            state.lastError = errors.first
        }
        for error in errors.prefix(5) { logger.warning("repair: \(error)") }
        return repaired
    }

    /// Fetches `node`'s records of `key` and stores those this node lacks.
    /// Returns how many were stored.
    func repair(_ key: PartitionKey, from node: String) async throws -> Int {
        guard let client = client(node) else { return 0 }
        let hash = topologyHash
        let answer = try await client.request(timeout: settings.requestTimeout * 6, dropOnTimeout: false) { .fetch(requestID: $0, topologyHash: hash, key: key) }
        let (theirs, _) = try Self.records(of: answer, from: node)
        var have: [Record: Int] = [:]
        for record in try await localRecords(of: key) { have[record, default: 0] += 1 }
        var missing: [Record] = []
        for record in theirs where key.contains(record) {
            if let count = have[record], count > 0 {
                have[record] = count - 1
            } else {
                missing.append(record)
            }
        }
        guard !missing.isEmpty else { return 0 }
        // Stored like any batch, under this node's repair identity (the
        // sequence is the clock), but never taken for a duplicate: these
        // records were just found missing, and a clock set back would
        // otherwise make the sequence tracker drop them.
        let encoder = BatchEncoder(compression: .fastest, limits: .unlimitedForStoredBatches)
        var stored = 0
        var start = 0
        while start < missing.count {
            let part = Array(missing[start..<min(missing.count, start + 10_000)])
            let sequence = UInt64(Date().timeIntervalSince1970 * 1e9) + UInt64(start)
            let batch = try encoder.encode(part, agentID: "repair-\(nodeID)", sequence: sequence)
            switch try await store.store(batch, records: part, tenant: key.tenant, deduplicate: false) {
            case .stored, .duplicate: stored += part.count
            case .busy(_, let detail, _): throw RepairError.busy(detail)
            }
            start += part.count
        }
        return stored
    }
}

/// Why a repair of one partition stopped (retried at the next pass).
enum RepairError: Error, CustomStringConvertible {
    case busy(String)

    var description: String {
        switch self {
        case .busy(let detail): return "this node is busy (\(detail)); the copy is retried at the next pass"
        }
    }
}
