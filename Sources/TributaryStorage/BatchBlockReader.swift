import NIOCore
import TributaryModel
import TributaryWire

/// Reads a batch block (`BatchBlockWriter`), checking its checksums: a
/// damaged file is a `BlockError.corrupt` naming the file and the part.
public final class BatchBlockReader {
    public struct Entry: Sendable {
        public let minTimestamp: Int64
        public let maxTimestamp: Int64
        public let recordCount: Int
        let offset: Int
        let length: Int
        let rawLength: Int
        let isCompressed: Bool
        let checksum: UInt32
        public let logStreams: [Labels]
        public let metricStreams: [Labels]

        public func overlaps(start: Int64, end: Int64) -> Bool {
            minTimestamp < end && maxTimestamp >= start
        }
    }

    public let path: String
    public let entries: [Entry]
    private let file: BlockFile
    private let decoder = BatchDecoder(limits: .unlimitedForStoredBatches)

    public init(path: String) throws(BlockError) {
        let file = try BlockFile(path: path)
        var (index, dataEnd) = try file.index(magic: BatchBlockWriter.magic, footerMagic: BatchBlockWriter.footerMagic)
        do {
            entries = try Self.parse(&index, dataEnd: dataEnd)
        } catch {
            throw .corrupt(path: path, detail: "the index is malformed: \(error)")
        }
        self.path = path
        self.file = file
    }

    private static func parse(_ index: inout ByteBuffer, dataEnd: Int) throws -> [Entry] {
        let count = try index.readWireVarint()
        var entries: [Entry] = []
        for _ in 0..<count {
            guard let minimum = index.readInteger(as: Int64.self), let maximum = index.readInteger(as: Int64.self) else { throw BlockIndexError.truncated }
            let records = Int(try index.readWireVarint())
            guard let offset = index.readInteger(as: UInt64.self) else { throw BlockIndexError.truncated }
            let length = Int(try index.readWireVarint())
            let rawLength = Int(try index.readWireVarint())
            guard let flags = index.readInteger(as: UInt8.self), let checksum = index.readInteger(as: UInt32.self) else { throw BlockIndexError.truncated }
            var streams: [[Labels]] = []
            for _ in 0..<2 {
                var sets: [Labels] = []
                for _ in 0..<(try index.readWireVarint()) {
                    var pairs: [Label] = []
                    for _ in 0..<(try index.readWireVarint()) {
                        pairs.append(Label(try index.readWireString(limit: 4096), try index.readWireString(limit: 4096)))
                    }
                    sets.append(try Labels(pairs))
                }
                streams.append(sets)
            }
            guard Int(offset) >= 8, Int(offset) + length <= dataEnd else { throw BlockIndexError.outOfRange }
            entries.append(Entry(minTimestamp: minimum, maxTimestamp: maximum, recordCount: records, offset: Int(offset), length: length,
                                 rawLength: rawLength, isCompressed: flags & 1 != 0, checksum: checksum,
                                 logStreams: streams[0], metricStreams: streams[1]))
        }
        return entries
    }

    /// The records of `entry` with `start <= timestamp < end` that belong to
    /// partition `key` (a batch may hold records of other partitions: other
    /// buckets, and other shards of this one).
    public func records(of entry: Entry, start: Int64, end: Int64, in key: PartitionKey) throws(BlockError) -> [Record] {
        let body = try file.read(at: entry.offset, length: entry.length)
        guard body.withUnsafeReadableBytes({ CRC32C.checksum($0) }) == entry.checksum else {
            throw .corrupt(path: path, detail: "the batch at offset \(entry.offset) fails its checksum")
        }
        let batch = Batch(agentID: "", sequence: 0, recordCount: entry.recordCount, rawLength: entry.rawLength,
                          isCompressed: entry.isCompressed, body: body)
        do {
            return try decoder.decode(batch).filter { $0.timestamp >= start && $0.timestamp < end && key.holdsStream(of: $0) }
        } catch {
            throw .corrupt(path: path, detail: "the batch at offset \(entry.offset) cannot be decoded: \(error)")
        }
    }
}

@available(*, unavailable)
extension BatchBlockReader: Sendable {}

extension WireLimits {
    /// For batches already accepted (and stored): they passed the node's
    /// limits when they arrived, whatever those are now; these bounds only
    /// keep a damaged index from asking for absurd sizes.
    public static var unlimitedForStoredBatches: WireLimits {
        var limits = WireLimits()
        limits.maxBatchRecords = 1_000_000
        limits.maxBatchRawBytes = 1 << 30
        return limits
    }
}
