import NIOCore
import TributaryStorage
import TributaryWire

/// Durable batches: every batch is written to the write-ahead log as it
/// arrived (still compressed), once per `(agent, sequence)`, before it is
/// acknowledged. Reopening replays the log to know which batches it has,
/// so duplicates are recognised across restarts.
///
/// WAL payload: `string tenant | the BATCH frame as received`.
public actor IngestStore {
    public enum Outcome: Sendable, Equatable {
        case stored(walSequence: UInt64)
        case duplicate
    }

    private let log: WriteAheadLog
    private var tracker = AgentSequenceTracker()
    /// Stores under way, so a batch arriving twice at once is stored once.
    private var inProgress: [Batch.ID: Task<UInt64, Error>] = [:]

    private init(log: WriteAheadLog, tracker: AgentSequenceTracker) {
        self.log = log
        self.tracker = tracker
    }

    /// Opens the store in `directory`, replaying what it holds.
    public static func open(directory: String) throws -> (IngestStore, WALRecoveryReport) {
        let (log, report) = try WriteAheadLog.open(directory: directory + "/wal")
        var tracker = AgentSequenceTracker()
        try log.replay { record in
            let entry = try Self.decode(record.payload)
            tracker.insert(agent: entry.batch.agentID, sequence: entry.batch.sequence)
        }
        return (IngestStore(log: log, tracker: tracker), report)
    }

    /// Stores `batch` for `tenant` unless it is already stored.
    public func store(_ batch: Batch, tenant: String) async throws -> Outcome {
        let id = batch.id
        if tracker.contains(agent: id.agentID, sequence: id.sequence) { return .duplicate }
        if let running = inProgress[id] {
            _ = try await running.value
            return .duplicate
        }
        var payload = ByteBuffer()
        payload.writeWireString(tenant)
        Frame.batch(batch).write(into: &payload)
        let log = self.log
        let task = Task { try await log.append(payload) }
        inProgress[id] = task
        defer { inProgress[id] = nil }
        let sequence = try await task.value
        tracker.insert(agent: id.agentID, sequence: id.sequence)
        return .stored(walSequence: sequence)
    }

    /// Every stored batch with its tenant, in storage order (for replay into
    /// partitions, and for tests).
    public nonisolated func storedBatches() throws -> [(tenant: String, batch: Batch)] {
        var batches: [(String, Batch)] = []
        try log.replay { record in
            let entry = try Self.decode(record.payload)
            batches.append((entry.tenant, entry.batch))
        }
        return batches
    }

    /// Batches stored so far and the syncs they took (group commit).
    public func statistics() async throws -> (appends: Int, syncs: Int) {
        try await log.statistics()
    }

    /// Waits for stores under way to finish, then closes the log: a batch
    /// being written when shutdown starts is still stored (and answered).
    public func close() async {
        for task in inProgress.values { _ = try? await task.value }
        await log.close()
    }

    static func decode(_ payload: ByteBuffer) throws -> (tenant: String, batch: Batch) {
        var buffer = payload
        let tenant = try buffer.readWireString(limit: 1024)
        guard case .batch(let batch)? = try Frame.read(from: &buffer) else {
            throw WireError.invalidValue(field: "stored batch", reason: "the write-ahead-log record holds no BATCH frame")
        }
        return (tenant, batch)
    }
}
