import Foundation
import Synchronization
import TributaryModel
import TributaryStorage
import TributaryWire

/// Writes what rules produce (recorded series, `ALERTS` and
/// `ALERTS_FOR_STATE`) into a tenant's storage through the path agents'
/// batches take: the write-ahead log on a single node, the replicated
/// write with its quorum and hints in a cluster. Batches are named
/// `rules.NODE` with sequence numbers from the wall clock (strictly
/// increasing, also across restarts), so deduplication never drops one.
final class RuleWriter: Sendable {
    private let store: IngestStore
    private let cluster: ClusterNode?
    private let agentID: String
    private let lastSequence = Mutex<UInt64>(0)

    convenience init(store: IngestStore, cluster: ClusterNode?, nodeID: String) {
        self.init(store: store, cluster: cluster, agentID: "rules." + nodeID)
    }

    /// A writer whose batches are named `agentID` (one writer per name, or
    /// two could pick the same sequence and one batch be taken for the other).
    init(store: IngestStore, cluster: ClusterNode?, agentID: String) {
        self.store = store
        self.cluster = cluster
        self.agentID = agentID
    }

    /// Stores `records` for `tenant`; throws with the reason when they
    /// were not stored durably (quorum not met, disk full).
    func write(_ records: [Record], tenant: String) async throws {
        guard !records.isEmpty else { return }
        let sequence = lastSequence.withLock { last in
            let clock = Date().timeIntervalSince1970 * 1e9
            let now = clock > 0 && clock < 1.8e19 ? UInt64(clock) : 0
            last = max(last + 1, now)
            return last
        }
        let batch = try BatchEncoder(compression: .fastest, limits: .unlimitedForStoredBatches).encode(records, agentID: agentID, sequence: sequence)
        if let cluster {
            switch await cluster.write(batch, records: records, tenant: tenant) {
            case .stored, .duplicate: return
            case .refused(let nack): throw RuleWriteFailed(reason: "\(nack)")
            case .busy(let reason, _): throw RuleWriteFailed(reason: reason)
            case .failed(let error): throw RuleWriteFailed(reason: "\(error)")
            }
        }
        switch try await store.store(batch, records: records, tenant: tenant) {
        case .stored, .duplicate: return
        case .busy(_, let detail, _): throw RuleWriteFailed(reason: detail)
        }
    }
}

/// Records from rules that were not stored.
struct RuleWriteFailed: Error, CustomStringConvertible {
    var reason: String
    var description: String { "rule output not stored: \(reason)" }
}
