import Synchronization
import TributaryModel
import TributaryWire

/// Batches of Loghub records stamped with a given time, for load that
/// moves through partition buckets as a live agent's does. Each call takes
/// the next `poolBatches × batchRecords` records of the corpus (round
/// robin), so the node compresses varied text, not one batch again.
final class SustainedRecordStamper: Sendable {
    static let poolBatches = 8

    private let records: [LogRecord]
    private let batchRecords: Int
    private let next = Mutex(0)

    init(corpus: LoghubCorpus, recordBytes: Int, batchRecords: Int) throws {
        var records: [LogRecord] = []
        for file in corpus.files {
            for case .log(let record) in corpus.records(of: file, messageBytes: recordBytes, startingAt: 0) { records.append(record) }
        }
        guard records.count >= batchRecords else { throw LoghubCorpusError.empty(corpus.directory.path) }
        self.records = records
        self.batchRecords = batchRecords
    }

    /// `poolBatches` compressed batches whose records carry `time` (plus
    /// a microsecond per record, so their order is kept).
    func batches(at time: Int64) throws -> [Batch] {
        let count = Self.poolBatches * batchRecords
        let first = next.withLock { start in
            defer { start = (start + count) % records.count }
            return start
        }
        let encoder = BatchEncoder(compression: .fastest)
        var batches: [Batch] = []
        for batch in 0..<Self.poolBatches {
            var stamped: [Record] = []
            stamped.reserveCapacity(batchRecords)
            for index in 0..<batchRecords {
                var record = records[(first + batch * batchRecords + index) % records.count]
                record.timestamp = time + Int64(index) * 1_000
                stamped.append(.log(record))
            }
            batches.append(try encoder.encode(stamped, agentID: "sustained", sequence: 1))
        }
        return batches
    }
}
