import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryWire

/// Reads every log line and change event of some partitions whose stream
/// matches and whose time lies in [from, to] (inclusive, as LogQL's
/// windows end), in no particular order: the input of LogQL metric
/// queries, which aggregate as they read, so memory is one chunk at a time.
///
/// Chunks whose trigram filter rules out a required substring, and chunks
/// or batches outside the time range or of other streams, are not read.
struct LogScan {
    let matchers: [LabelMatcher]
    /// Substrings every wanted line contains (from leading `|=` filters).
    let requiredSubstrings: [String]
    let requiredBytes: [[UInt8]]
    let from: Int64
    let to: Int64
    var budget: QueryBudget?
    /// Blocks that failed their checks (skipped).
    private(set) var corrupt: [BlockError] = []
    private(set) var linesRead = 0

    init(matchers: [LabelMatcher], requiredSubstrings: [String], from: Int64, to: Int64, budget: QueryBudget?) {
        self.matchers = matchers
        self.requiredSubstrings = requiredSubstrings
        self.requiredBytes = requiredSubstrings.map { Array($0.utf8) }
        self.from = from
        self.to = to
        self.budget = budget
    }

    private func wanted(_ labels: Labels) -> Bool { matchers.allSatisfy { $0.matches(labels) } }

    /// Calls `visit` with each line; `visit` returning false stops the scan.
    mutating func run(_ snapshots: [PartitionSnapshot], visit: (LogLine) throws -> Bool) throws {
        // `to` may be the latest time: the half-open end must not overflow.
        let after = to == .max ? Int64.max : to + 1
        for snapshot in snapshots where snapshot.key.overlaps(start: from, end: after) {
            let low = max(from, snapshot.key.start)
            let high = min(after, snapshot.key.end)
            for head in snapshot.heads {
                for record in head.logs where record.timestamp >= low && record.timestamp < high && wanted(record.labels) {
                    guard try deliver(record, visit) else { return }
                }
                for stored in head.batches where stored.overlaps(start: low, end: high) && stored.logStreams.contains(where: wanted) {
                    try budget?.check()
                    let records = try BatchDecoder(limits: .unlimitedForStoredBatches).decode(stored.batch)
                    for record in records where record.timestamp >= low && record.timestamp < high && wanted(record.labels)
                        && snapshot.key.holdsStream(of: record) {
                        guard try deliver(record, visit) else { return }
                    }
                }
            }
            for path in snapshot.logBlocks {
                guard try scanBlock(path, low: low, high: high, visit) else { return }
            }
            for path in snapshot.batchBlocks {
                guard try scanBatches(path, partition: snapshot.key, low: low, high: high, visit) else { return }
            }
        }
    }

    private mutating func deliver(_ record: Record, _ visit: (LogLine) throws -> Bool) throws -> Bool {
        guard let line = LogLine(record) else { return true }
        linesRead += 1
        if linesRead & 1023 == 0 { try budget?.check() }
        return try visit(line)
    }

    private mutating func scanBlock(_ path: String, low: Int64, high: Int64, _ visit: (LogLine) throws -> Bool) throws -> Bool {
        let reader: BlockReader
        switch Result(catching: { () throws(BlockError) -> BlockReader in try BlockReader(path: path) }) {
        case .success(let opened): reader = opened
        case .failure(.io): return true // retired by a seal since the snapshot; its records are in the sealed block
        case .failure(let error):
            corrupt.append(error)
            return true
        }
        for chunk in reader.chunks where chunk.overlaps(start: low, end: high) && wanted(chunk.labels)
            && requiredSubstrings.allSatisfy(chunk.filter.mightContain) {
            try budget?.check()
            let records: [Record]
            do {
                // Templated chunks rebuild only lines that may hold the substrings.
                records = try reader.records(of: chunk, containing: requiredBytes)
            } catch {
                corrupt.append(error)
                return true
            }
            for record in records where record.timestamp >= low && record.timestamp < high {
                guard try deliver(record, visit) else { return false }
            }
        }
        return true
    }

    private mutating func scanBatches(_ path: String, partition: PartitionKey, low: Int64, high: Int64,
                                      _ visit: (LogLine) throws -> Bool) throws -> Bool {
        let reader: BatchBlockReader
        switch Result(catching: { () throws(BlockError) -> BatchBlockReader in try BatchBlockReader(path: path) }) {
        case .success(let opened): reader = opened
        case .failure(.io): return true
        case .failure(let error):
            corrupt.append(error)
            return true
        }
        for entry in reader.entries where entry.overlaps(start: low, end: high) && entry.logStreams.contains(where: wanted) {
            try budget?.check()
            let records: [Record]
            do {
                records = try reader.records(of: entry, start: low, end: high, in: partition)
            } catch {
                corrupt.append(error)
                return true
            }
            for record in records where wanted(record.labels) {
                guard try deliver(record, visit) else { return false }
            }
        }
        return true
    }
}
