import TributaryStorage
import TributaryWire

/// What the coordinator of a batch decides once every replica answered:
/// the agent's answer, and which replicas get a hint.
///
/// A plain value computed from the answers, so that the rules are tested
/// without sockets: the batch is acknowledged once every partition has
/// `writeQuorum` durable copies and the coordinator's own copy, when it is
/// a replica, is durable; each replica that did not confirm then gets a
/// hint (except one that refused the batch for good). Without a quorum the
/// agent gets a permanent NACK if a replica refused the batch, BUSY if one
/// was busy, a retryable `NO_QUORUM` NACK otherwise.
///
/// Why the coordinator's own copy must be durable: a node keeps no hint for
/// itself, no other node knows its copy lacks the batch, it answers queries
/// from its own copy first, and repair compares sealed partitions only. An
/// ACK despite a failed own copy (a full disk, heads at their limit) left
/// the coordinator's answers without acknowledged lines until the
/// partition was sealed and repaired. So it answers BUSY, as a single node
/// would: the agent sends the batch again (here, or to the next node after
/// `busy_failover`, which then keeps a hint for this one), and the
/// replicas that stored it already count it as a duplicate.
struct WriteVerdict: Sendable, Equatable {
    /// What the agent is told.
    var answer: IngestSession.StoreResult
    /// Replicas the coordinator keeps a hint for (only when acknowledged).
    var hinted: [String]
    /// Why the batch was not acknowledged, for the log (nil when it was).
    var shortfall: String?
    /// Whether every partition had its quorum (false: a quorum failure).
    var quorumMet: Bool

    /// - Parameters:
    ///   - answers: each replica's answer, the coordinator's own included.
    ///   - replicasOf: the replicas of every partition the batch touches.
    ///   - coordinator: this node.
    init(sequence: UInt64, answers: [String: ClusterNode.ReplicaAnswer], replicasOf: [PartitionKey: [String]],
         writeQuorum: Int, coordinator: String) {
        var short: [String] = []
        for (key, replicas) in replicasOf.sorted(by: { $0.key < $1.key }) {
            let durable = replicas.filter { answers[$0]?.isDurable == true }.count
            if durable < writeQuorum {
                let why = replicas.filter { answers[$0]?.isDurable != true }.map { "\($0): \(answers[$0]?.reason ?? "no answer")" }
                short.append("partition \(key) has \(durable) of the \(writeQuorum) copies it needs (\(why.joined(separator: "; ")))")
            }
        }
        let targets = answers.keys.sorted()
        guard short.isEmpty else {
            let reason = short.prefix(3).joined(separator: "; ") + (short.count > 3 ? "; and \(short.count - 3) more" : "")
            hinted = []
            shortfall = reason
            quorumMet = false
            if let refusal = targets.compactMap({ node -> String? in
                if case .refused(let reason)? = answers[node] { return reason }
                return nil
            }).first {
                answer = .refused(Nack(sequence: sequence, disposition: .permanent, code: .malformed, reason: refusal))
            } else if answers.values.contains(where: { if case .busy = $0 { return true } else { return false } }) {
                answer = .busy(reason: "not enough replicas could store the batch: \(reason)", retryAfterMilliseconds: 500)
            } else {
                answer = .refused(Nack(sequence: sequence, disposition: .retry, code: .noQuorum, reason: reason))
            }
            return
        }
        quorumMet = true
        if let own = answers[coordinator], !own.isDurable {
            hinted = []
            shortfall = "\(coordinator) did not store its own copy (\(own.reason))"
            answer = .busy(reason: "\(coordinator) could not store its own copy of the batch (\(own.reason)): not stored; retry later",
                           retryAfterMilliseconds: 500)
            return
        }
        hinted = targets.filter { node in
            switch answers[node] {
            case .durable?, .refused?: return false
            case .busy?, .failed?, nil: return node != coordinator
            }
        }
        shortfall = nil
        let allDuplicates = answers.values.allSatisfy { if case .durable(true) = $0 { return true } else { return false } }
        answer = allDuplicates ? .duplicate : .stored
    }
}
