import Synchronization
import TributaryWire

/// The pre-encoded batches load-generating connections send, replaceable
/// while they run: the sustained benchmark swaps in batches stamped with
/// the current time every second, so its records move through partition
/// buckets as a live agent's do (and the buckets behind them get sealed).
final class IngestBatchPool: Sendable {
    private let batches: Mutex<[Batch]>

    /// - Precondition: `batches` is not empty.
    init(_ batches: [Batch]) {
        precondition(!batches.isEmpty, "a load pool needs at least one batch")
        self.batches = Mutex(batches)
    }

    /// The batch to send as `sequence` (the pool is used round-robin).
    func batch(for sequence: UInt64) -> Batch {
        batches.withLock { $0[Int(sequence % UInt64($0.count))] }
    }

    /// Replaces the pool; batches already sent are not affected.
    /// - Precondition: `batches` is not empty.
    func replace(with batches: [Batch]) {
        precondition(!batches.isEmpty, "a load pool needs at least one batch")
        self.batches.withLock { $0 = batches }
    }
}
