import Foundation
import TributaryDurability
import TributaryModel
import TributaryWire

/// Partitions of every tenant: records arrive here (in write-ahead-log
/// order) after they are durable in the log, wait in an in-memory head,
/// are flushed to blocks, sealed, and expire. See `StorageFormat`.
public actor PartitionStore {
    public nonisolated let directory: String
    public nonisolated let settings: PartitionSettings
    /// How many shards a bucket has, and which partitions this node keeps.
    public nonisolated let routing: any PartitionRouting

    private var heads: [PartitionKey: PartitionHead] = [:]
    private var headBytes = 0
    private var headSince: ContinuousClock.Instant?
    /// Heads being written by a flush, by cycle: still served to queries.
    private var flushing: [PartitionKey: PartitionHead] = [:]
    private var flushingBytes = 0
    private var flushInProgress = false
    /// The cycle of the flush under way: its blocks may already be on disk
    /// while its heads (`flushing`) are still served, so snapshots leave
    /// those blocks out until the flush ends (else a query would read the
    /// same records twice).
    private var flushingCycle: UInt64?
    private var maintenanceInProgress = false
    /// Every record of write-ahead-log sequences up to here is applied.
    public private(set) var appliedThrough: UInt64
    /// Records of later sequences that arrived before an earlier one: held
    /// until the gap closes, so heads always hold a prefix of the log (a
    /// flush must never cover a sequence whose records are missing).
    private var waiting: [UInt64: Applied] = [:]

    /// What one write-ahead-log record adds: records to route, or a batch
    /// already cut into parts (by a coordinator).
    private enum Applied {
        case records(tenant: String, [Record], Batch?)
        case parts(Batch, [BatchPart])
    }
    /// Partitions on disk, and the seal of those sealed.
    private var partitions: [PartitionKey: PartitionSeal?] = [:]
    /// Flushes per partition, so a seal that ran while a flush added a block
    /// knows the partition is not sealed after all.
    private var flushCounts: [PartitionKey: Int] = [:]
    /// When a flush last added a block to a partition: a partition still
    /// receiving (late) data waits a grace period of quiet before it is
    /// sealed, instead of being merged again after every flush.
    private var lastFlushAt: [PartitionKey: ContinuousClock.Instant] = [:]
    /// Files replaced by a seal, deleted a little later so that queries
    /// that listed them can finish.
    private var retired: [(path: String, at: ContinuousClock.Instant)] = []

    private init(directory: String, settings: PartitionSettings, routing: any PartitionRouting, appliedThrough: UInt64,
                 partitions: [PartitionKey: PartitionSeal?]) {
        self.directory = directory
        self.settings = settings
        self.routing = routing
        self.appliedThrough = appliedThrough
        self.partitions = partitions
    }

    var partitionsDirectory: String { directory + "/partitions" }

    /// Opens the partitions under `directory/partitions`, undoing what a
    /// crash left unfinished: blocks of a flush after `checkpointThrough`
    /// (their records are still in the log and will be applied again),
    /// temporary files, and blocks a finished seal replaced.
    public static func open(directory: String, settings: PartitionSettings, routing: any PartitionRouting = SingleNodeRouting(),
                            checkpointThrough: UInt64) throws(StorageError) -> (PartitionStore, [PartitionEvent]) {
        let root = directory + "/partitions"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .io(path: root, operation: "creating directory", errno: Int32((error as NSError).code))
        }
        var events: [PartitionEvent] = []
        var partitions: [PartitionKey: PartitionSeal?] = [:]
        // A directory that cannot be listed fails the start: opening an
        // empty store over data it could not see would hide that data.
        func list(_ path: String) throws(StorageError) -> [String] {
            do {
                return try DurableFile.list(path)
            } catch where error.errno == ENOTDIR {
                return []  // a stray file, not a tenant's directory
            } catch {
                throw .io(path: path, operation: "listing the partitions in", errno: error.errno)
            }
        }
        for tenant in try list(root) {
            for name in try list(root + "/" + tenant) {
                guard let key = PartitionKey(tenant: tenant, directoryName: name) else { continue }
                let path = root + "/" + tenant + "/" + name
                let files = try PartitionFiles(directory: path)
                for temporary in files.temporaries {
                    unlink(path + "/" + temporary)
                    events.append(.removedUnfinished(path: path + "/" + temporary))
                }
                var seal: PartitionSeal?
                if files.hasSeal {
                    seal = try PartitionSeal.read(directory: path)
                }
                var unsealedBlocks = 0
                for block in files.blocks {
                    let obsolete: Bool
                    if block.sealed {
                        obsolete = block.sequence != seal?.through
                    } else if block.sequence > checkpointThrough {
                        obsolete = true
                        events.append(.removedUnfinished(path: path + "/" + block.name))
                    } else {
                        obsolete = seal.map { block.sequence <= $0.through } ?? false
                        if !obsolete { unsealedBlocks += 1 }
                    }
                    if obsolete { unlink(path + "/" + block.name) }
                }
                partitions[key] = unsealedBlocks == 0 ? seal : nil
            }
        }
        return (PartitionStore(directory: directory, settings: settings, routing: routing, appliedThrough: checkpointThrough,
                               partitions: partitions), events)
    }

    func path(of key: PartitionKey) -> String {
        partitionsDirectory + "/" + key.tenant + "/" + key.directoryName
    }

    // MARK: Ingest

    /// Adds the records of write-ahead-log record `sequence` to the heads,
    /// in sequence order whatever order the calls come in. Every sequence
    /// after the checkpoint must be applied (with no records if it has none).
    /// `batch` is what the records were decoded from: its body is what a
    /// flush writes (nil only in tests, which then get re-encoded blocks).
    public func apply(_ records: [Record], batch: Batch? = nil, tenant: String, sequence: UInt64) {
        guard sequence > appliedThrough else { return }
        enqueue(.records(tenant: tenant, records, batch), sequence: sequence)
    }

    /// Like `apply`, for a batch whose parts are known: its body goes to the
    /// head of each part's partition this node keeps, nothing is decoded.
    public func apply(_ batch: Batch, parts: [BatchPart], sequence: UInt64) {
        guard sequence > appliedThrough else { return }
        enqueue(.parts(batch, parts), sequence: sequence)
    }

    private func enqueue(_ applied: Applied, sequence: UInt64) {
        waiting[sequence] = applied
        while let next = waiting.removeValue(forKey: appliedThrough + 1) {
            switch next {
            case .records(let tenant, let records, let batch): add(records, batch: batch, tenant: tenant)
            case .parts(let batch, let parts): add(batch, parts: parts)
            }
            appliedThrough += 1
        }
    }

    /// At start-up: applies a record replayed from the log, whose sequences
    /// may have gaps where a damaged segment was cut.
    public func applyReplayed(_ records: [Record], batch: Batch? = nil, tenant: String, sequence: UInt64) {
        guard sequence > appliedThrough else { return }
        add(records, batch: batch, tenant: tenant)
        appliedThrough = sequence
    }

    /// Records go to the partition of their bucket and shard; those of
    /// partitions this node does not keep (other replicas') are skipped.
    private func add(_ records: [Record], batch: Batch?, tenant: String) {
        guard !records.isEmpty else { return }
        if let batch {
            add(batch, parts: BatchPart.split(records, tenant: tenant, span: settings.span, routing: routing))
            return
        }
        // Records given without a body (tests): kept decoded.
        var byKey: [PartitionKey: [Record]] = [:]
        for part in BatchPart.split(records, tenant: tenant, span: settings.span, routing: routing) where routing.keeps(part.key) {
            byKey[part.key] = records.filter(part.key.contains)
        }
        for (key, kept) in byKey {
            if headSince == nil { headSince = .now }
            let before = heads[key]?.bytes ?? 0
            heads[key, default: PartitionHead()].append(contentsOf: kept)
            headBytes += heads[key]!.bytes - before
        }
    }

    /// Only the body is kept, once per partition: queries decode it on
    /// demand, which costs far less than holding every decoded record.
    private func add(_ batch: Batch, parts: [BatchPart]) {
        for part in parts where routing.keeps(part.key) {
            if headSince == nil { headSince = .now }
            let before = heads[part.key]?.bytes ?? 0
            heads[part.key, default: PartitionHead()].append(StoredBatch(batch, part: part))
            headBytes += heads[part.key]!.bytes - before
        }
    }

    /// True while heads hold more than `maxHeadBytes`: ingest must wait.
    public var isOverloaded: Bool { headBytes + flushingBytes >= settings.maxHeadBytes }

    /// Bytes held in memory by heads (including those being flushed).
    public var memoryBytes: Int { headBytes + flushingBytes }

    /// Whether the heads are due for a flush.
    public func flushIsDue(now: ContinuousClock.Instant = .now) -> Bool {
        guard let headSince, !heads.isEmpty, !flushInProgress else { return false }
        return headBytes >= settings.flushBytes || now - headSince >= .nanoseconds(settings.flushInterval)
    }

    /// Writes every head to blocks. Returns the write-ahead-log sequence
    /// now covered by blocks (for the checkpoint; `appliedThrough` when the
    /// heads were empty), or nil while another flush runs. On failure the
    /// heads are kept and nothing is lost.
    public func flush() async throws -> UInt64? {
        guard !flushInProgress else { return nil }
        guard !heads.isEmpty else { return appliedThrough }
        flushInProgress = true
        let cycle = appliedThrough
        flushingCycle = cycle
        defer {
            flushInProgress = false
            flushingCycle = nil
        }
        let batch = heads
        flushing = batch
        flushingBytes = headBytes
        heads = [:]
        headBytes = 0
        headSince = nil
        let targets = batch.map { (key: $0.key, path: path(of: $0.key), head: $0.value) }
        let level = settings.flushLevel
        let root = partitionsDirectory
        do {
            try await StorageThread.flush.run {
                try Self.writeBlocks(targets, cycle: cycle, root: root, level: level)
            }
        } catch {
            for (key, head) in batch {
                heads[key, default: PartitionHead()].merge(head)
            }
            headBytes += flushingBytes
            headSince = headSince ?? .now
            flushing = [:]
            flushingBytes = 0
            throw error
        }
        for key in batch.keys {
            partitions[key] = .some(nil)
            flushCounts[key, default: 0] += 1
            lastFlushAt[key] = .now
        }
        flushing = [:]
        flushingBytes = 0
        return cycle
    }

    private static func writeBlocks(_ targets: [(key: PartitionKey, path: String, head: PartitionHead)], cycle: UInt64, root: String, level: CompressionLevelValue) throws {
        var written: [String] = []
        do {
            for target in targets {
                try Self.createPartitionDirectory(target.path, root: root)
                if !target.head.batches.isEmpty {
                    // The bodies as received: no recompression.
                    let path = target.path + "/" + PartitionFiles.name(kind: .batches, sequence: cycle, sealed: false)
                    written.append(path)
                    try BatchBlockWriter.write(target.head.batches, to: path)
                }
                if !target.head.logs.isEmpty {
                    let path = target.path + "/" + PartitionFiles.name(kind: .logs, sequence: cycle, sealed: false)
                    written.append(path)
                    try BlockWriter.write(target.head.logs, to: path, level: level)
                }
                if !target.head.metrics.isEmpty {
                    let path = target.path + "/" + PartitionFiles.name(kind: .metrics, sequence: cycle, sealed: false)
                    written.append(path)
                    try BlockWriter.write(target.head.metrics, to: path, level: level)
                }
            }
        } catch {
            for path in written {
                unlink(path)
                unlink(path + ".tmp")
            }
            throw error
        }
    }

    /// Creates a partition directory and syncs its parents, so that its
    /// entry survives a crash as well as the blocks in it.
    private static func createPartitionDirectory(_ path: String, root: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let tenant = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try SegmentFile.syncDirectory(tenant)
        try SegmentFile.syncDirectory(root)
    }

    // MARK: Maintenance

    /// Seals partitions whose bucket ended more than the grace period ago,
    /// deletes those past retention, and finishes deferred deletions.
    /// `now` is wall-clock nanoseconds since the epoch.
    public func maintain(now: Int64) async -> [PartitionEvent] {
        guard !maintenanceInProgress else { return [] }
        maintenanceInProgress = true
        defer { maintenanceInProgress = false }
        var events: [PartitionEvent] = []
        let clock = ContinuousClock.now
        retired.removeAll { entry in
            guard clock - entry.at >= .nanoseconds(settings.retireDelay) else { return false }
            unlink(entry.path)
            return true
        }
        for key in partitions.keys.sorted() where key.end <= now - settings.retention(of: key.tenant) {
            guard heads[key] == nil, flushing[key] == nil else { continue }
            do {
                try FileManager.default.removeItem(atPath: path(of: key))
                try? SegmentFile.syncDirectory(partitionsDirectory + "/" + key.tenant)
                partitions[key] = nil
                flushCounts[key] = nil
                lastFlushAt[key] = nil
                events.append(.expired(key))
            } catch {
                events.append(.failed(key, "cannot delete: \(error)"))
            }
        }
        for (key, seal) in partitions.sorted(by: { $0.key < $1.key }) where seal == nil && key.end + settings.sealGrace <= now {
            guard heads[key] == nil, flushing[key] == nil else { continue }
            if let last = lastFlushAt[key], clock - last < .nanoseconds(settings.sealGrace) { continue }
            let directory = path(of: key)
            let level = settings.sealLevel
            let templated = settings.templatedSeals
            let flushesBefore = flushCounts[key]
            let result = await StorageThread.seal.run { Self.seal(directory: directory, key: key, level: level, templated: templated) }
            switch result {
            case .sealed(let seal, let replaced):
                // A flush during the seal added a block the seal did not
                // merge: the partition stays open and is sealed again later.
                partitions[key] = flushCounts[key] == flushesBefore ? .some(seal) : .some(nil)
                retired += replaced.map { (directory + "/" + $0, clock) }
                events.append(.sealed(key, records: seal.records, digest: seal.digest))
            case .quarantined(let path, let reason):
                events.append(.quarantined(path: path, reason: reason))
            case .failed(let reason):
                events.append(.failed(key, reason))
            case .nothingToDo:
                break
            }
        }
        return events
    }

    private enum SealResult: Sendable {
        case sealed(PartitionSeal, replaced: [String])
        case quarantined(path: String, reason: String)
        case failed(String)
        case nothingToDo
    }

    /// Merges every block of a partition (flushed batch bodies, flushed and
    /// sealed blocks) into one sealed block per kind. Streams are merged in
    /// passes over contiguous stream-id ranges of at most ~256 MiB raw, so
    /// memory stays bounded however big the partition; each pass reads the
    /// batch bodies holding its streams again.
    private static func seal(directory: String, key: PartitionKey, level: CompressionLevelValue, templated: Bool) -> SealResult {
        do {
            let files = try PartitionFiles(directory: directory)
            let current = files.hasSeal ? try PartitionSeal.read(directory: directory) : nil
            let flushed = files.blocks.filter { !$0.sealed && $0.sequence > (current?.through ?? 0) }
            guard let through = flushed.map(\.sequence).max() else { return .nothingToDo }
            let sources = flushed + files.blocks.filter { $0.sealed && $0.sequence == current?.through }
            var chunkReaders: [PartitionFiles.Kind: [BlockReader]] = [.logs: [], .metrics: []]
            var batchReaders: [BatchBlockReader] = []
            for source in sources {
                let path = directory + "/" + source.name
                let opened: Result<Void, BlockError>
                if source.kind == .batches {
                    opened = Result { () throws(BlockError) in batchReaders.append(try BatchBlockReader(path: path)) }
                } else {
                    opened = Result { () throws(BlockError) in chunkReaders[source.kind]!.append(try BlockReader(path: path)) }
                }
                if case .failure(let error) = opened { return quarantine(error) }
            }
            var records = 0
            var outputs: [String] = []
            for kind in [PartitionFiles.Kind.logs, .metrics] {
                // Every stream of this kind, with an estimate of its raw bytes.
                var streams: [UInt64: (labels: Labels, bytes: Int)] = [:]
                for reader in chunkReaders[kind]! {
                    for chunk in reader.chunks { streams[chunk.streamID, default: (chunk.labels, 0)].bytes += chunk.rawLength }
                }
                for reader in batchReaders {
                    for entry in reader.entries {
                        let labels = kind == .logs ? entry.logStreams : entry.metricStreams
                        for stream in labels { streams[stream.streamID, default: (stream, 0)].bytes += entry.rawLength / max(1, labels.count) }
                    }
                }
                guard !streams.isEmpty else { continue }
                let name = PartitionFiles.name(kind: kind, sequence: through, sealed: true)
                let writer = try BlockWriter(path: directory + "/" + name, level: level, templated: templated && kind == .logs)
                let ids = streams.keys.sorted()
                var passStart = 0
                while passStart < ids.count {
                    var passEnd = passStart
                    var passBytes = 0
                    while passEnd < ids.count, passEnd == passStart || passBytes + streams[ids[passEnd]]!.bytes <= 256 << 20 {
                        passBytes += streams[ids[passEnd]]!.bytes
                        passEnd += 1
                    }
                    let wanted = Set(ids[passStart..<passEnd])
                    var merged: [UInt64: [Record]] = [:]
                    for reader in chunkReaders[kind]! {
                        for chunk in reader.chunks where wanted.contains(chunk.streamID) {
                            switch Result(catching: { () throws(BlockError) -> [Record] in try reader.records(of: chunk) }) {
                            case .success(let decoded): merged[chunk.streamID, default: []] += decoded
                            case .failure(let error):
                                unlink(directory + "/" + name + ".tmp")
                                return quarantine(error)
                            }
                        }
                    }
                    for reader in batchReaders {
                        for entry in reader.entries {
                            let labels = kind == .logs ? entry.logStreams : entry.metricStreams
                            guard labels.contains(where: { wanted.contains($0.streamID) }) else { continue }
                            switch Result(catching: { () throws(BlockError) -> [Record] in try reader.records(of: entry, start: key.start, end: key.end, in: key) }) {
                            case .success(let decoded):
                                for record in decoded {
                                    let isMetric: Bool
                                    if case .metric = record { isMetric = true } else { isMetric = false }
                                    guard isMetric == (kind == .metrics) else { continue }
                                    let id = BlockWriter.streamLabels(of: record).streamID
                                    if wanted.contains(id) { merged[id, default: []].append(record) }
                                }
                            case .failure(let error):
                                unlink(directory + "/" + name + ".tmp")
                                return quarantine(error)
                            }
                        }
                    }
                    for id in ids[passStart..<passEnd] {
                        guard let stream = merged[id], !stream.isEmpty else { continue }
                        records += stream.count
                        try writer.append(stream: streams[id]!.labels, records: stream)
                    }
                    passStart = passEnd
                }
                try writer.finish()
                outputs.append(directory + "/" + name)
            }
            let seal = PartitionSeal(through: through, records: records, digest: try ContentDigest.sha256(files: outputs))
            try seal.write(directory: directory)
            return .sealed(seal, replaced: sources.map(\.name))
        } catch {
            return .failed(String(describing: error))
        }
    }

    /// A corrupt block is renamed out of the way; an unreadable one (an
    /// I/O error) is left for the next attempt.
    private static func quarantine(_ error: BlockError) -> SealResult {
        switch error {
        case .corrupt(let path, let detail):
            rename(path, path + StorageFileNames.corruptSuffix)
            return .quarantined(path: path, reason: detail)
        case .io:
            return .failed(error.description)
        }
    }

    /// Moves a block found corrupt out of the way (`<name>.corrupt`), so
    /// that everything else keeps being served.
    public func quarantine(path: String, reason: String) -> PartitionEvent? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard rename(path, path + StorageFileNames.corruptSuffix) == 0 else { return nil }
        return .quarantined(path: path, reason: reason)
    }

    // MARK: Queries and status

    /// The partitions of `tenant` overlapping `[start, end)`, oldest first.
    public func snapshot(tenant: String, start: Int64, end: Int64) -> [PartitionSnapshot] {
        var keys = Set(partitions.keys.filter { $0.tenant == tenant && $0.overlaps(start: start, end: end) })
        for key in heads.keys where key.tenant == tenant && key.overlaps(start: start, end: end) { keys.insert(key) }
        for key in flushing.keys where key.tenant == tenant && key.overlaps(start: start, end: end) { keys.insert(key) }
        return keys.sorted().map { key in
            var logBlocks: [String] = []
            var metricBlocks: [String] = []
            var batchBlocks: [String] = []
            let directory = path(of: key)
            if let files = try? PartitionFiles(directory: directory) {
                let seal = partitions[key] ?? nil
                let sealedThrough = (try? PartitionSeal.read(directory: directory))?.through ?? seal?.through
                for block in files.blocks {
                    if block.sealed ? block.sequence != sealedThrough : block.sequence <= (sealedThrough ?? 0) { continue }
                    if !block.sealed, block.sequence == flushingCycle, flushing[key] != nil { continue }
                    switch block.kind {
                    case .logs: logBlocks.append(directory + "/" + block.name)
                    case .metrics: metricBlocks.append(directory + "/" + block.name)
                    case .batches: batchBlocks.append(directory + "/" + block.name)
                    }
                }
            }
            return PartitionSnapshot(key: key, logBlocks: logBlocks, metricBlocks: metricBlocks, batchBlocks: batchBlocks,
                                     heads: [heads[key], flushing[key]].compactMap { $0 }, seal: partitions[key] ?? nil)
        }
    }

    /// Every partition known, with its seal if sealed.
    public func list() -> [(key: PartitionKey, seal: PartitionSeal?)] {
        var keys = Set(partitions.keys)
        keys.formUnion(heads.keys)
        keys.formUnion(flushing.keys)
        return keys.sorted().map { ($0, partitions[$0] ?? nil) }
    }

    /// The tenants that have partitions.
    public func tenants() -> [String] {
        Array(Set(list().map(\.key.tenant))).sorted()
    }
}

typealias CompressionLevelValue = TributaryCompression.CompressionLevel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TributaryCompression
