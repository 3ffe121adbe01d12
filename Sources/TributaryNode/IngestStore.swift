import NIOCore
import TributaryModel
import TributaryStorage
import TributaryWire

/// Durable batches: every batch is written to the write-ahead log as it
/// arrived (still compressed), once per `(agent, sequence)`, before it is
/// acknowledged; its records then go to the partition store.
///
/// Which batches are stored survives restarts: the checkpoint holds the
/// set as of the last flush, and opening replays the log after it.
///
/// WAL payload: `string tenant | the BATCH frame as received`.
public actor IngestStore {
    public enum Outcome: Sendable, Equatable {
        case stored(walSequence: UInt64)
        case duplicate
        /// Not stored: the node is behind or out of disk; retry later.
        case busy(BusyReason, detail: String, retryAfterMilliseconds: UInt32)
    }

    private let log: WriteAheadLog
    public nonisolated let partitions: PartitionStore
    public nonisolated let directory: String
    /// Log patterns mined from the lines stored here (saved at each flush).
    public nonisolated let patterns: LogPatternRecorder
    private var tracker: AgentSequenceTracker
    /// Stores under way, so a batch arriving twice at once is stored once.
    private var inProgress: [Batch.ID: Task<UInt64, Error>] = [:]
    /// Why ingest is paused for disk space, if it is (set by the monitor).
    private var diskBlocked: String?

    private init(log: WriteAheadLog, partitions: PartitionStore, directory: String, tracker: AgentSequenceTracker,
                 patterns: LogPatternRecorder) {
        self.patterns = patterns
        self.log = log
        self.partitions = partitions
        self.directory = directory
        self.tracker = tracker
    }

    /// What opening found and repaired.
    public struct Recovery: Sendable {
        public var wal: WALRecoveryReport
        public var partitionEvents: [PartitionEvent]
        /// Log records after the checkpoint, applied again to the heads.
        public var replayedBatches: Int
        /// Log records whose batch could not be decoded (skipped, logged).
        public var undecodable: [String]
        /// Why the saved log patterns were not used, if they were not.
        public var patternWarning: String?
    }

    /// Opens the store in `directory`: checkpoint, log, partitions; then
    /// replays the log after the checkpoint into the partition heads.
    public static func open(directory: String, settings: PartitionSettings = PartitionSettings(),
                            routing: any PartitionRouting = SingleNodeRouting(),
                            limits: WireLimits = .default) async throws -> (IngestStore, Recovery) {
        let checkpoint = try StorageCheckpoint.read(directory: directory)
        var tracker = try checkpoint.map { try AgentSequenceTracker(decoding: $0.state) } ?? AgentSequenceTracker()
        let through = checkpoint?.walThrough ?? 0
        let (log, report) = try WriteAheadLog.open(directory: directory + "/wal", after: through)
        let (partitions, events) = try PartitionStore.open(directory: directory, settings: settings, routing: routing, checkpointThrough: through)
        var recovery = Recovery(wal: report, partitionEvents: events, replayedBatches: 0, undecodable: [])
        var replayed: [(UInt64, String, [Record], Batch)] = []
        // Batches in the log were accepted once: decode them whatever the
        // limits are now (a replica may have stored one checked elsewhere).
        let decoder = BatchDecoder(limits: .unlimitedForStoredBatches)
        try log.replay(from: through + 1) { record in
            let entry = try Self.decode(record.payload)
            tracker.insert(agent: entry.batch.agentID, sequence: entry.batch.sequence)
            do {
                replayed.append((record.sequence, entry.tenant, try decoder.decode(entry.batch), entry.batch))
            } catch {
                recovery.undecodable.append("write-ahead-log record \(record.sequence) (batch \(entry.batch.id)): \(error)")
                replayed.append((record.sequence, entry.tenant, [], entry.batch))
            }
            recovery.replayedBatches += 1
        }
        // Patterns were saved with the checkpoint: the replayed lines are
        // the ones they have not counted yet.
        let (patterns, patternWarning) = LogPatternRecorder.open(directory: directory)
        recovery.patternWarning = patternWarning
        for (sequence, tenant, records, batch) in replayed {
            await partitions.applyReplayed(records, batch: batch, tenant: tenant, sequence: sequence)
            mineLed(records, tenant: tenant, routing: routing, span: settings.span, into: patterns)
        }
        return (IngestStore(log: log, partitions: partitions, directory: directory, tracker: tracker, patterns: patterns), recovery)
    }

    /// Stores `batch` (whose decoded `records` go to the partitions) for
    /// `tenant` unless it is already stored. With `deduplicate: false` (a
    /// repair's copy: its records were just found missing, and its identity
    /// is never sent twice) it is stored whatever the tracker says.
    public func store(_ batch: Batch, records: [Record], tenant: String, deduplicate: Bool = true) async throws -> Outcome {
        let patterns = self.patterns
        return try await persist(batch, tenant: tenant, deduplicate: deduplicate) { partitions, sequence in
            await partitions.apply(records, batch: batch, tenant: tenant, sequence: sequence)
            Self.mineLed(records, tenant: tenant, routing: partitions.routing, span: partitions.settings.span, into: patterns)
        }
    }

    /// Stores `batch` whose parts the caller computed (a push request's,
    /// from its decoded series; a coordinator's own copy), with `records`,
    /// the decoded records of those parts: as `store(_:records:tenant:)`
    /// without deriving every record's stream again.
    public func store(_ batch: Batch, records: [Record], parts: [BatchPart], tenant: String) async throws -> Outcome {
        let patterns = self.patterns
        return try await persist(batch, tenant: tenant) { partitions, sequence in
            await partitions.apply(batch, parts: parts, sequence: sequence)
            Self.mineLed(records, parts: parts, routing: partitions.routing, into: patterns, tenant: tenant)
        }
    }

    /// Stores `batch` whose parts a coordinator computed. Nothing is decoded
    /// for storage; the body is inflated afterwards only if this node leads
    /// one of the parts (it mines their lines).
    public func store(_ batch: Batch, parts: [BatchPart], tenant: String) async throws -> Outcome {
        let patterns = self.patterns
        let led = ledParts(parts)
        return try await persist(batch, tenant: tenant) { partitions, sequence in
            await partitions.apply(batch, parts: parts, sequence: sequence)
            // The body was checked by the coordinator, so a decoding
            // failure only skips mining.
            if !led.isEmpty, let records = try? BatchDecoder(limits: .unlimitedForStoredBatches).decode(batch) {
                patterns.observe(records.filter { Self.isIn(led, $0) }, tenant: tenant)
            }
        }
    }

    /// Appends `batch` to the log unless it is stored already, then hands
    /// it to the partitions with `apply` (in log order).
    private func persist(_ batch: Batch, tenant: String, deduplicate: Bool = true,
                         apply: (PartitionStore, UInt64) async -> Void) async throws -> Outcome {
        let id = batch.id
        if deduplicate, tracker.contains(agent: id.agentID, sequence: id.sequence) { return .duplicate }
        if let running = inProgress[id] {
            _ = try await running.value
            return .duplicate
        }
        if let diskBlocked {
            return .busy(.diskLimit, detail: diskBlocked, retryAfterMilliseconds: 1000)
        }
        if await partitions.isOverloaded {
            return .busy(.headsFull, detail: "the node is writing blocks behind ingest (heads at their memory limit); retry shortly", retryAfterMilliseconds: 200)
        }
        // The same batch may have arrived while this store waited above.
        if deduplicate, tracker.contains(agent: id.agentID, sequence: id.sequence) { return .duplicate }
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
        await apply(partitions, sequence)
        return .stored(walSequence: sequence)
    }

    /// Pauses (with a reason for BUSY) or resumes ingest for disk space.
    public func setDiskBlocked(_ reason: String?) {
        diskBlocked = reason
    }

    public var isDiskBlocked: Bool { diskBlocked != nil }

    /// Flushes the heads if due (or if `force`), then writes the checkpoint
    /// and deletes the log it covers. Returns the checkpointed sequence.
    @discardableResult
    public func flushIfDue(force: Bool = false) async throws -> UInt64? {
        guard force ? true : await partitions.flushIsDue() else { return nil }
        guard let through = try await partitions.flush() else { return nil }
        try StorageCheckpoint(walThrough: through, state: tracker.encoded()).write(directory: directory)
        try await log.removeSegments(through: through)
        try patterns.save()
        return through
    }

    /// Every batch still in the log with its tenant, in storage order (for tests).
    public nonisolated func storedBatches() throws -> [(tenant: String, batch: Batch)] {
        var batches: [(String, Batch)] = []
        try log.replay { record in
            let entry = try Self.decode(record.payload)
            batches.append((entry.tenant, entry.batch))
        }
        return batches
    }

    /// Batches stored so far, the syncs they took (group commit) and the
    /// sync latencies.
    public func statistics() async throws -> WALStatistics {
        try await log.statistics()
    }

    /// Waits for stores under way to finish, flushes the heads, then closes
    /// the log: a batch being written when shutdown starts is still stored
    /// (and answered), and the next start has little to replay.
    public func close() async -> Error? {
        for task in inProgress.values { _ = try? await task.value }
        var failure: Error?
        do { try await flushIfDue(force: true) } catch { failure = error }
        await log.close()
        return failure
    }

    /// Whether a log record belongs to one of `parts` (a replica stores
    /// only its parts of a batch).
    static func isIn(_ parts: [BatchPart], _ record: Record) -> Bool {
        guard case .log(let log) = record else { return false }
        return parts.contains { $0.minTimestamp <= log.timestamp && log.timestamp <= $0.maxTimestamp && $0.logStreams.contains(log.labels) }
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
