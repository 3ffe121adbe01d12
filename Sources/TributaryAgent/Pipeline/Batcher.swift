import Foundation
import Logging
import Synchronization
import TributaryModel
import TributaryWire

/// Gathers records from every input, cuts them into batches (by size and
/// age), encodes and compresses each, and appends it to the spool on its
/// own thread; then tells the forwarder. When the spool is full or failing,
/// records wait here up to `maxPendingBytes`, and `accepting` turns false so
/// that inputs able to wait (files, TCP syslog) pause.
public final class Batcher: Sendable {
    /// One input's hand-over: never split between batches, so a batch's
    /// file positions cover exactly the records it holds.
    private struct Submission {
        var records: [Record]
        var bytes: Int
        var input: String
        var position: FilePosition?
        var whenSpooled: (@Sendable (Bool) -> Void)?
    }

    private struct Pending {
        var submissions: [Submission] = []
        var head = 0
        var records = 0
        var bytes = 0
        var oldest: ContinuousClock.Instant?
        var blocked = false
        var stopping = false
        var stopped = false

        var isEmpty: Bool { head == submissions.count }
    }

    private let spool: Spool
    private let agentID: String
    private let settings: BatchSettings
    private let checkpoints: FileCheckpoints
    private let metrics: AgentMetrics
    private let logger: Logger
    private let onSpooled: @Sendable (UInt64) -> Void
    private let sanitizer: RecordSanitizer
    private let deadLetters: DeadLetterFile
    private let pending = Mutex(Pending())
    private let wakeup = NSCondition()
    private let finished = DispatchSemaphore(value: 0)
    /// Appended batches waiting for the sync that makes them durable; the
    /// syncer thread syncs while the batcher encodes the next ones.
    private let unsynced = Mutex<(items: [Appended], stopping: Bool, stopped: Bool)>(([], false, false))
    private let syncWakeup = NSCondition()
    private let syncFinished = DispatchSemaphore(value: 0)

    private struct Appended: Sendable {
        var sequence: UInt64
        var positions: [FilePosition]
        var inputs: [String: Int]
        var callbacks: [@Sendable (Bool) -> Void]
    }

    public init(spool: Spool, agentID: String, settings: BatchSettings, checkpoints: FileCheckpoints, metrics: AgentMetrics,
                deadLetters: DeadLetterFile, logger: Logger, onSpooled: @escaping @Sendable (UInt64) -> Void) {
        self.sanitizer = RecordSanitizer(maxAge: settings.maxRecordAge, maxFuture: settings.maxRecordFuture)
        self.deadLetters = deadLetters
        self.spool = spool
        self.agentID = agentID
        self.settings = settings
        self.checkpoints = checkpoints
        self.metrics = metrics
        self.logger = logger
        self.onSpooled = onSpooled
    }

    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trib-batcher"
        thread.start()
        let syncer = Thread { [self] in runSyncer() }
        syncer.name = "trib-spool-sync"
        syncer.start()
    }

    /// False while the spool is full or failing, or too much waits in memory.
    public var accepting: Bool {
        pending.withLock { !$0.blocked && $0.bytes < settings.maxPendingBytes && !$0.stopping }
    }

    /// Adds records (already processed) from `input`; `position` is where a
    /// file input stands after them. Always takes them: inputs that can
    /// wait check `accepting` first, the others count drops themselves.
    /// One call's records always travel in one batch (keep calls to at most
    /// `maxBatchRecords` records).
    /// `whenSpooled` is called with true once the records are on disk in
    /// the spool (false if the agent stopped first).
    public func submit(_ records: [Record], input: String, bytes: Int, position: FilePosition? = nil,
                       whenSpooled: (@Sendable (Bool) -> Void)? = nil) {
        guard !records.isEmpty || position != nil else { return }
        let wake = pending.withLock { state -> Bool in
            if state.oldest == nil { state.oldest = .now }
            state.submissions.append(Submission(records: records, bytes: bytes, input: input, position: position, whenSpooled: whenSpooled))
            state.records += records.count
            state.bytes += bytes
            return state.bytes >= settings.maxBatchBytes || state.records >= settings.maxBatchRecords
        }
        metrics.add("tributary_agent_records_in_total", input, records.count)
        metrics.add("tributary_agent_bytes_in_total", input, bytes)
        if wake { wakeup.lock(); wakeup.signal(); wakeup.unlock() }
    }

    /// Spools what is waiting, then stops the thread. Waits at most `timeout`.
    public func stop(timeout: Duration = .seconds(10)) {
        pending.withLock { $0.stopping = true }
        wakeup.lock(); wakeup.signal(); wakeup.unlock()
        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        _ = finished.wait(timeout: deadline)
        unsynced.withLock { $0.stopping = true }
        syncWakeup.lock(); syncWakeup.signal(); syncWakeup.unlock()
        _ = syncFinished.wait(timeout: deadline + .seconds(2))
    }

    /// Syncs appended batches in groups and only then hands them on.
    private func runSyncer() {
        var reported = false
        while true {
            let (items, stopping) = unsynced.withLock { state -> ([Appended], Bool) in
                let items = state.items
                state.items = []
                return (items, state.stopping)
            }
            if items.isEmpty {
                if stopping { break }
                syncWakeup.lock()
                _ = syncWakeup.wait(until: Date().addingTimeInterval(0.05))
                syncWakeup.unlock()
                continue
            }
            while true {
                do {
                    try spool.sync()
                    break
                } catch {
                    setBlocked(true)
                    if !reported {
                        logger.error("\(error); inputs are paused and the sync is retried every second")
                        reported = true
                    }
                    Thread.sleep(forTimeInterval: 1)
                }
            }
            if reported {
                reported = false
                setBlocked(false)
            }
            for item in items {
                if item.sequence == 0 {
                    checkpoints.passed(item.positions)
                    for callback in item.callbacks { callback(true) }
                    continue
                }
                checkpoints.spooled(item.sequence, item.positions)
                metrics.spooled(item.sequence, inputs: item.inputs)
                onSpooled(item.sequence)
                for callback in item.callbacks { callback(true) }
            }
        }
        unsynced.withLock { $0.stopped = true }
        syncFinished.signal()
    }

    private func run() {
        let encoder = BatchEncoder(compression: settings.compression)
        while true {
            guard let cut = nextBatch() else { break }
            if let sequence = spool(cut.records, positions: cut.positions, inputs: cut.inputs, encoder: encoder) {
                unsynced.withLock { $0.items.append(Appended(sequence: sequence, positions: cut.positions, inputs: cut.inputs, callbacks: cut.callbacks)) }
                syncWakeup.lock(); syncWakeup.signal(); syncWakeup.unlock()
            } else {
                for callback in cut.callbacks { callback(cut.records.isEmpty) }
            }
        }
        pending.withLock { $0.stopped = true }
        finished.signal()
    }

    /// Blocks until a batch is due (or the batcher stops with nothing left).
    private func nextBatch() -> Cut? {
        while true {
            let due = pending.withLock { state -> Cut?? in
                let age = state.oldest.map { ContinuousClock.now - $0 } ?? .zero
                let full = state.bytes >= settings.maxBatchBytes || state.records >= settings.maxBatchRecords
                let ready = !state.isEmpty && (full || age >= settings.maxBatchAge || state.stopping)
                if !ready {
                    return state.stopping && state.isEmpty ? .some(nil) : nil
                }
                // Whole submissions up to the size limits.
                var records: [Record] = []
                var bytes = 0
                var positions: [FileIdentity: UInt64] = [:]
                var inputs: [String: Int] = [:]
                var callbacks: [@Sendable (Bool) -> Void] = []
                while state.head < state.submissions.count {
                    let next = state.submissions[state.head]
                    if !records.isEmpty, bytes + next.bytes > settings.maxBatchBytes || records.count + next.records.count > settings.maxBatchRecords {
                        break
                    }
                    records += next.records
                    bytes += next.bytes
                    inputs[next.input, default: 0] += next.records.count
                    if let position = next.position { positions[position.file] = max(positions[position.file] ?? 0, position.offset) }
                    if let callback = next.whenSpooled { callbacks.append(callback) }
                    state.head += 1
                }
                state.records -= records.count
                state.bytes -= bytes
                if state.isEmpty {
                    state.submissions = []
                    state.head = 0
                    state.oldest = nil
                } else if state.head > 1024 {
                    state.submissions.removeFirst(state.head)
                    state.head = 0
                }
                return .some(Cut(records: records, positions: positions.map { FilePosition(file: $0.key, offset: $0.value) },
                                 inputs: inputs, callbacks: callbacks))
            }
            switch due {
            case .some(.some(let batch)): return batch
            case .some(.none): return nil
            case .none:
                wakeup.lock()
                _ = wakeup.wait(until: Date().addingTimeInterval(0.05))
                wakeup.unlock()
            }
        }
    }

    private struct Cut {
        var records: [Record]
        var positions: [FilePosition]
        var inputs: [String: Int]
        var callbacks: [@Sendable (Bool) -> Void]
    }

    /// The sequence of the appended (not yet synced) batch, 0 when there
    /// were no records to append, or nil when it could not be appended.
    private func spool(_ records: [Record], positions: [FilePosition], inputs: [String: Int], encoder: BatchEncoder) -> UInt64? {
        guard !records.isEmpty else {
            // Only filtered lines: in order behind the batches before them
            // (sequence 0), their files move on once those are acknowledged.
            return 0
        }
        let records = repaired(records)
        let batch: Batch
        do {
            // The spool assigns the sequence when the batch is on disk.
            batch = try encoder.encode(records, agentID: agentID, sequence: 1)
        } catch {
            // Some record breaks a limit even after repair: it alone goes to
            // the dead-letter file, the others are sent.
            let (good, bad) = Self.separate(records, agentID: agentID)
            let written = deadLetters.append(bad.map(\.record), reason: "cannot be encoded: \(bad.first?.error ?? error)")
            metrics.add(written ? "tributary_agent_dead_letter_total" : "tributary_agent_dropped_total", "unencodable", bad.count)
            logger.error("\(bad.count) of \(records.count) records cannot be encoded (\(bad.first?.error ?? error)); \(written ? "written to \(deadLetters.path)" : "lost"), the rest are sent")
            guard !good.isEmpty else { return 0 }
            do {
                batch = try encoder.encode(good, agentID: agentID, sequence: 1)
            } catch {
                let kept = deadLetters.append(good, reason: "cannot be encoded together: \(error)")
                metrics.add(kept ? "tributary_agent_dead_letter_total" : "tributary_agent_dropped_total", "unencodable", good.count)
                return 0
            }
        }
        var sequence: UInt64 = 0
        var reported = false
        while true {
            if spool.isFull {
                setBlocked(true)
                if !reported {
                    logger.warning("spool \(spool.directory) is full (\(spool.usedBytes) of \(spool.maxBytes) bytes): inputs that can wait are paused, UDP drops are counted, until nodes acknowledge")
                    reported = true
                }
                if stopping { return lost(records.count) }
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            do {
                sequence = try spool.append(batch, positions: positions)
                break
            } catch {
                setBlocked(true)
                if !reported {
                    logger.error("\(error); inputs are paused and the batch is retried every second")
                    reported = true
                }
                if stopping { return lost(records.count) }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        if reported { logger.notice("spool writable again: inputs resume") }
        setBlocked(false)
        return sequence
    }

    /// The records with out-of-bounds times and over-long fields repaired, counted.
    private func repaired(_ records: [Record]) -> [Record] {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        // Almost every batch needs nothing: check without copying first.
        guard let first = records.firstIndex(where: { sanitizer.needsRepair($0, now: now) }) else { return records }
        var records = records
        var counts: [RecordSanitizer.Repair: Int] = [:]
        for index in records.indices[first...] where sanitizer.needsRepair(records[index], now: now) {
            let (record, repairs) = sanitizer.sanitize(records[index], now: now)
            records[index] = record
            for repair in Set(repairs) { counts[repair, default: 0] += 1 }
        }
        for (repair, count) in counts { metrics.add("tributary_agent_repaired_total", repair.rawValue, count) }
        return records
    }

    /// Records that encode on their own, and those that do not (with why).
    static func separate(_ records: [Record], agentID: String) -> (good: [Record], bad: [(record: Record, error: WireError)]) {
        let probe = BatchEncoder(compression: nil)
        var good: [Record] = []
        var bad: [(record: Record, error: WireError)] = []
        for record in records {
            do {
                _ = try probe.encode([record], agentID: agentID, sequence: 1)
                good.append(record)
            } catch {
                bad.append((record, error))
            }
        }
        return (good, bad)
    }

    /// Stopping while the spool cannot take a batch: file inputs read it
    /// again next time (their checkpoints never covered it); the rest is gone.
    private func lost(_ count: Int) -> UInt64? {
        logger.error("stopping with \(count) records that the spool could not take; file inputs will read theirs again, other records are lost")
        return nil
    }

    private var stopping: Bool { pending.withLock { $0.stopping } }

    private func setBlocked(_ blocked: Bool) {
        pending.withLock { $0.blocked = blocked }
    }

    /// What a record adds to a batch, roughly: its message and fields.
    static func size(of record: Record) -> Int {
        switch record {
        case .log(let log): return log.message.readableBytes + log.fields.reduce(16) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        case .metric(let sample): return sample.name.utf8.count + 24
        case .event(let event): return event.message.readableBytes + event.type.utf8.count + 16
        }
    }
}
