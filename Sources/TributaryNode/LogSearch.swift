import NIOCore
import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryWire

/// Runs a log query over one tenant's partitions: newest first (or oldest
/// first), at most `limit` lines, handing them out partition by partition so
/// the HTTP layer can stream them.
///
/// Partitions cover disjoint time ranges, so each is searched on its own and
/// its best `remaining` lines are emitted before the next. Inside one, the
/// chunk index (time range, labels, trigram filter) skips chunks, and once
/// `remaining` lines are held, chunks that cannot beat the worst are not
/// read. Memory: one chunk plus `limit` lines.
struct LogSearch: Sendable {
    enum Direction: String, Sendable {
        case backward, forward
    }

    struct Statistics: Sendable {
        var partitions = 0
        var blocks = 0
        var chunksRead = 0
        var chunksSkipped = 0
        var headRecordsScanned = 0
        var linesMatched = 0

        mutating func add(_ other: Statistics) {
            partitions += other.partitions
            blocks += other.blocks
            chunksRead += other.chunksRead
            chunksSkipped += other.chunksSkipped
            headRecordsScanned += other.headRecordsScanned
        }
    }

    let query: LogQuery
    let start: Int64
    let end: Int64
    let limit: Int
    let direction: Direction
    /// Checked per chunk and per filtered line; nil: no limit.
    var budget: QueryBudget? = nil

    /// Searches `snapshots` (oldest first, as the store lists them).
    /// `corrupt` is told of blocks that fail their checks (and skipped).
    /// With a `context`, each bucket is searched on the query pool and the
    /// search stops (throwing `QueryStopped`) when its budget runs out.
    func run(_ snapshots: [PartitionSnapshot], context: QueryContext? = nil, corrupt: (BlockError) async -> Void,
             emit: ([LogLine]) async throws -> Void) async throws -> Statistics {
        var statistics = Statistics()
        var remaining = limit
        // The shards of one bucket cover the same time range: they are
        // searched together, buckets one after the other.
        var buckets: [[PartitionSnapshot]] = []
        for snapshot in snapshots {
            if let last = buckets.last?.first, last.key.start == snapshot.key.start, last.key.span == snapshot.key.span {
                buckets[buckets.count - 1].append(snapshot)
            } else {
                buckets.append([snapshot])
            }
        }
        let ordered = direction == .backward ? buckets.reversed() : buckets
        var search = self
        search.budget = context?.budget ?? budget
        for bucket in ordered where remaining > 0 {
            let wanted = remaining
            let found: BucketResult
            if let context {
                found = try await context.run { [search] in try search.searchBucket(bucket, limit: wanted) }
            } else {
                try Task.checkCancellation()
                found = try search.searchBucket(bucket, limit: wanted)
            }
            for error in found.corrupt { await corrupt(error) }
            statistics.add(found.statistics)
            statistics.linesMatched += found.lines.count
            remaining -= found.lines.count
            if !found.lines.isEmpty { try await emit(found.lines) }
        }
        return statistics
    }

    /// What one bucket's search found.
    struct BucketResult: Sendable {
        var lines: [LogLine]
        var statistics: Statistics
        var corrupt: [BlockError]
    }

    /// The best `limit` lines of one bucket's shards (synchronous: runs on
    /// the query pool). Checks the budget per chunk and per filtered line.
    func searchBucket(_ bucket: [PartitionSnapshot], limit: Int) throws -> BucketResult {
        // One per search: a pipeline keeps buffers between lines and is not shared across threads.
        let pipeline = try query.stages.isEmpty ? nil : LogPipeline(query.stages)
        var statistics = Statistics()
        var corrupt: [BlockError] = []
        var best = TopLines(limit: limit, newestFirst: direction == .backward)
        for snapshot in bucket {
            statistics.partitions += 1
            for head in snapshot.heads {
                statistics.headRecordsScanned += head.logs.count
                for record in head.logs where record.timestamp >= start && record.timestamp < end && query.matches(labels: record.labels) {
                    if best.wouldKeep(record.timestamp), let line = LogLine(record), let kept = try accept(line, pipeline) { best.insert(kept) }
                }
                let from = max(start, snapshot.key.start)
                let to = min(end, snapshot.key.end)
                for stored in head.batches where stored.overlaps(start: from, end: to) && stored.logStreams.contains(where: query.matches(labels:)) {
                    try budget?.check()
                    statistics.headRecordsScanned += stored.recordCount
                    let records = try BatchDecoder(limits: .unlimitedForStoredBatches).decode(stored.batch)
                    for record in records where record.timestamp >= from && record.timestamp < to && query.matches(labels: record.labels)
                        && snapshot.key.holdsStream(of: record) {
                        if best.wouldKeep(record.timestamp), let line = LogLine(record), let kept = try accept(line, pipeline) { best.insert(kept) }
                    }
                }
            }
            for path in snapshot.logBlocks {
                statistics.blocks += 1
                do {
                    try search(path, pipeline, into: &best, statistics: &statistics)
                } catch let error as BlockError {
                    corrupt.append(error)
                }
                try budget?.check()
            }
            for path in snapshot.batchBlocks {
                statistics.blocks += 1
                do {
                    try searchBatches(path, pipeline, partition: snapshot.key, into: &best, statistics: &statistics)
                } catch let error as BlockError {
                    corrupt.append(error)
                }
                try budget?.check()
            }
        }
        return BucketResult(lines: best.sorted(), statistics: statistics, corrupt: corrupt)
    }

    /// The line as the query answers it, or nil when a filter or a stage
    /// drops it: the leading line filters on the raw bytes, then the rest
    /// of the pipeline (parsers, label filters, formats), which may add
    /// labels and rewrite the line.
    fileprivate func accept(_ line: LogLine, _ pipeline: LogPipeline?) throws -> LogLine? {
        guard try matches(line) else { return nil }
        guard let pipeline else { return line }
        let output = line.message.withUnsafeReadableBytes { bytes in
            pipeline.process(line: bytes, timestamp: line.timestamp, stream: line.labels, fields: line.fields)
        }
        guard let output else { return nil }
        return LogLine(timestamp: line.timestamp, labels: output.labels, severity: line.severity, eventType: line.eventType,
                       message: output.rewrittenLine.map { ByteBuffer(bytes: $0) } ?? line.message, fields: line.fields)
    }

    /// Whether `line` passes the filters. The budget is checked before each
    /// line, and during regex matching of long ones.
    fileprivate func matches(_ line: LogLine) throws -> Bool {
        guard !query.filters.isEmpty else { return true }
        try budget?.check()
        let budget = self.budget
        let matched = line.message.withUnsafeReadableBytes { bytes in
            query.matches(bytes: bytes, stop: budget.map { budget in { budget.stopReason != nil } })
        }
        try budget?.check()
        return matched
    }

    private func search(_ path: String, _ pipeline: LogPipeline?, into best: inout TopLines, statistics: inout Statistics) throws {
        let reader: BlockReader
        switch Result(catching: { () throws(BlockError) -> BlockReader in try BlockReader(path: path) }) {
        case .success(let opened): reader = opened
        case .failure(.io): return // retired by a seal since the snapshot; its records are in the sealed block
        case .failure(let error): throw error
        }
        let needles = query.filters.compactMap(\.requiredSubstring)
        let needleBytes = needles.map { Array($0.utf8) }
        var candidates = reader.chunks.filter { chunk in
            chunk.overlaps(start: start, end: end) && query.matches(labels: chunk.labels) && needles.allSatisfy(chunk.filter.mightContain)
        }
        statistics.chunksSkipped += reader.chunks.count - candidates.count
        // The chunks most likely to hold the lines wanted come first.
        if direction == .backward {
            candidates.sort { $0.maxTimestamp > $1.maxTimestamp }
        } else {
            candidates.sort { $0.minTimestamp < $1.minTimestamp }
        }
        for chunk in candidates {
            guard best.wouldKeep(direction == .backward ? chunk.maxTimestamp : chunk.minTimestamp) else {
                statistics.chunksSkipped += 1
                continue
            }
            statistics.chunksRead += 1
            try budget?.check()
            // Templated chunks rebuild only lines that may hold the needles.
            for record in try reader.records(of: chunk, containing: needleBytes) where record.timestamp >= start && record.timestamp < end {
                guard best.wouldKeep(record.timestamp), let line = LogLine(record), let kept = try accept(line, pipeline) else { continue }
                best.insert(kept)
            }
        }
    }
}

extension LogSearch {
    /// Flushed batch bodies: no trigram filter (they are sealed into
    /// filtered blocks once their bucket ends), so every batch overlapping
    /// the range with a matching stream is decoded.
    fileprivate func searchBatches(_ path: String, _ pipeline: LogPipeline?, partition: PartitionKey, into best: inout TopLines,
                                   statistics: inout Statistics) throws {
        let reader: BatchBlockReader
        switch Result(catching: { () throws(BlockError) -> BatchBlockReader in try BatchBlockReader(path: path) }) {
        case .success(let opened): reader = opened
        case .failure(.io): return // retired by a seal since the snapshot
        case .failure(let error): throw error
        }
        let from = max(start, partition.start)
        let to = min(end, partition.end)
        var candidates = reader.entries.filter { entry in
            entry.overlaps(start: from, end: to) && entry.logStreams.contains(where: query.matches(labels:))
        }
        statistics.chunksSkipped += reader.entries.count - candidates.count
        if direction == .backward {
            candidates.sort { $0.maxTimestamp > $1.maxTimestamp }
        } else {
            candidates.sort { $0.minTimestamp < $1.minTimestamp }
        }
        for entry in candidates {
            guard best.wouldKeep(direction == .backward ? entry.maxTimestamp : entry.minTimestamp) else {
                statistics.chunksSkipped += 1
                continue
            }
            statistics.chunksRead += 1
            try budget?.check()
            for record in try reader.records(of: entry, start: from, end: to, in: partition) where query.matches(labels: record.labels) {
                guard best.wouldKeep(record.timestamp), let line = LogLine(record), let kept = try accept(line, pipeline) else { continue }
                best.insert(kept)
            }
        }
    }
}

/// The `limit` newest (or oldest) lines seen so far.
struct TopLines {
    let limit: Int
    let newestFirst: Bool
    private var lines: [LogLine] = []
    /// The worst timestamp kept once `limit` lines are held.
    private var threshold: Int64?

    init(limit: Int, newestFirst: Bool) {
        self.limit = limit
        self.newestFirst = newestFirst
    }

    func wouldKeep(_ timestamp: Int64) -> Bool {
        guard let threshold else { return true }
        return newestFirst ? timestamp >= threshold : timestamp <= threshold
    }

    mutating func insert(_ line: LogLine) {
        lines.append(line)
        if lines.count >= max(2 * limit, 1024) { compact() }
    }

    private mutating func compact() {
        lines = Array(ordered().prefix(limit))
        if lines.count == limit { threshold = lines.last!.timestamp }
    }

    private func ordered() -> [LogLine] {
        lines.sorted { a, b in
            if a.timestamp != b.timestamp { return newestFirst ? a.timestamp > b.timestamp : a.timestamp < b.timestamp }
            if a.labels != b.labels { return a.labels.description < b.labels.description }
            return a.message.readableBytesView.lexicographicallyPrecedes(b.message.readableBytesView)
        }
    }

    func sorted() -> [LogLine] {
        Array(ordered().prefix(limit))
    }
}
