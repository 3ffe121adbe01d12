import Foundation
import NIOCore
import TributaryCompression
import TributaryModel
import TributaryQuery
import TributaryWire

/// Reads a block written by `BlockWriter`, checking every checksum: a
/// damaged file is a `BlockError.corrupt` naming the file and the part.
public final class BlockReader {
    public let path: String
    public let chunks: [BlockChunk]
    /// Bytes of the whole file.
    public var size: Int { file.size }
    private let file: BlockFile
    private let inflater = Inflater(format: .zlib)

    /// What a search did, for tests and metrics: chunks skipped without
    /// inflating, by time, by labels, by the trigram filter.
    public struct SearchStatistics: Equatable, Sendable {
        public var chunksRead = 0
        public var skippedByTime = 0
        public var skippedByLabels = 0
        public var skippedByFilter = 0

        public init() {}
    }

    /// Opens `path` and reads its footer and index (not the chunks, which
    /// are read on demand).
    public init(path: String) throws(BlockError) {
        let file = try BlockFile(path: path)
        let key = BlockIndexCache.Key(path: path, inode: file.inode, size: file.size, modified: file.modified)
        if let cached = BlockIndexCache.shared.chunks(for: key) {
            chunks = cached
        } else {
            var (index, dataEnd) = try file.index(magic: StorageFileNames.blockMagic, footerMagic: StorageFileNames.blockFooterMagic,
                                                  versions: 1...StorageFileNames.columnsBlockVersion)
            do {
                chunks = try Self.parseIndex(&index, dataEnd: dataEnd)
            } catch {
                throw .corrupt(path: path, detail: "the index is malformed: \(error)")
            }
            BlockIndexCache.shared.insert(chunks, for: key)
        }
        self.path = path
        self.file = file
    }

    private static func parseIndex(_ index: inout ByteBuffer, dataEnd: Int) throws -> [BlockChunk] {
        let count = try index.readBlockVarint()
        var chunks: [BlockChunk] = []
        for _ in 0..<count {
            guard let streamID = index.readInteger(as: UInt64.self) else { throw BlockIndexError.truncated }
            let labelCount = try index.readBlockVarint()
            var pairs: [Label] = []
            for _ in 0..<labelCount {
                pairs.append(Label(try index.readWireString(limit: 4096), try index.readWireString(limit: 4096)))
            }
            guard let minTimestamp = index.readInteger(as: Int64.self),
                  let maxTimestamp = index.readInteger(as: Int64.self) else { throw BlockIndexError.truncated }
            let records = try index.readBlockVarint()
            guard let offset = index.readInteger(as: UInt64.self) else { throw BlockIndexError.truncated }
            let compressedLength = try index.readBlockVarint()
            let rawLength = try index.readBlockVarint()
            guard let checksum = index.readInteger(as: UInt32.self) else { throw BlockIndexError.truncated }
            let words = try index.readBlockVarint()
            guard words >= 1, words * 8 <= index.readableBytes else { throw BlockIndexError.truncated }
            var filterWords: [UInt64] = []
            filterWords.reserveCapacity(words)
            for _ in 0..<words { filterWords.append(index.readInteger(as: UInt64.self)!) }
            guard Int(offset) >= 8, Int(offset) + compressedLength <= dataEnd else { throw BlockIndexError.outOfRange }
            chunks.append(BlockChunk(
                streamID: streamID, labels: try Labels(pairs), minTimestamp: minTimestamp, maxTimestamp: maxTimestamp,
                recordCount: records, offset: Int(offset), compressedLength: compressedLength, rawLength: rawLength,
                checksum: checksum, filter: TrigramFilter(words: filterWords)))
        }
        return chunks
    }

    /// Every record of `chunk`, in time order. With `substrings`, a
    /// templated chunk (mode 2 or 3) leaves out log lines and events that cannot
    /// hold all of them, without rebuilding those lines; the records
    /// returned may still lack them (callers filter as before).
    public func records(of chunk: BlockChunk, containing substrings: [[UInt8]] = []) throws(BlockError) -> [Record] {
        let compressed = try file.read(at: chunk.offset, length: chunk.compressedLength)
        guard compressed.withUnsafeReadableBytes({ CRC32C.checksum($0) }) == chunk.checksum else {
            throw .corrupt(path: path, detail: "chunk of stream \(chunk.labels) fails its checksum")
        }
        var raw = ByteBuffer()
        do {
            try inflater.inflate(compressed, appendingTo: &raw, limit: chunk.rawLength, expectedSize: chunk.rawLength)
            return try Self.decodeChunk(&raw, labels: chunk.labels, pieces: SubstringPieces(substrings: substrings))
        } catch {
            throw .corrupt(path: path, detail: "chunk of stream \(chunk.labels) cannot be decoded: \(error)")
        }
    }

    private static func decodeChunk(_ raw: inout ByteBuffer, labels: Labels, pieces: SubstringPieces?) throws -> [Record] {
        let count = try raw.readBlockVarint()
        guard let mode = raw.readInteger(as: UInt8.self), mode <= 3 else { throw BlockIndexError.outOfRange }
        let metaLength = try raw.readBlockVarint()
        guard var meta = raw.readSlice(length: metaLength) else { throw BlockIndexError.truncated }
        var lengths: ByteBuffer?
        if mode == 0 {
            guard let slice = raw.readSlice(length: try raw.readBlockVarint()) else { throw BlockIndexError.truncated }
            lengths = slice
        }
        var text = raw
        // Modes 2 and 3: every message rebuilt up front (nil: left out by `pieces`).
        var templated: [ByteBuffer?]?
        var nextTemplated = 0
        if mode == 2 {
            templated = try TemplatedTextReader.decode(&text, pieces: pieces)
        } else if mode == 3 {
            templated = try TemplateColumnsReader.decode(&text, pieces: pieces)
        }
        /// The next message: up to the newline (mode 1), by its length
        /// (mode 0), or as rebuilt (modes 2 and 3; nil if left out).
        func nextMessage() throws -> ByteBuffer? {
            if let templated {
                guard nextTemplated < templated.count else { throw BlockIndexError.truncated }
                nextTemplated += 1
                return templated[nextTemplated - 1]
            }
            let length: Int
            if var known = lengths {
                length = try known.readBlockVarint()
                lengths = known
            } else {
                guard let end = text.readableBytesView.firstIndex(of: 0x0A) else { throw BlockIndexError.truncated }
                length = end - text.readerIndex
            }
            guard let message = text.readSlice(length: length), text.readInteger(as: UInt8.self) == 0x0A else { throw BlockIndexError.truncated }
            return message
        }
        var records: [Record] = []
        records.reserveCapacity(count)
        var timestamp: Int64 = 0
        for _ in 0..<count {
            guard let kind = meta.readInteger(as: UInt8.self) else { throw BlockIndexError.truncated }
            timestamp = timestamp &+ (try meta.readBlockSVarint())
            switch kind {
            case 1:
                guard let severity = meta.readInteger(as: UInt8.self).flatMap(Severity.init(rawValue:)) else { throw BlockIndexError.truncated }
                let fieldCount = try meta.readBlockVarint()
                var fields: [Field] = []
                for _ in 0..<fieldCount {
                    fields.append(Field(try meta.readWireString(limit: 1 << 20), try meta.readWireString(limit: 1 << 20)))
                }
                guard let message = try nextMessage() else { continue }
                records.append(.log(LogRecord(timestamp: timestamp, severity: severity, labels: labels, message: message, fields: fields)))
            case 2:
                guard let kind = meta.readInteger(as: UInt8.self).flatMap(MetricKind.init(rawValue:)),
                      let bits = meta.readInteger(as: UInt64.self) else { throw BlockIndexError.truncated }
                let name = labels["__name__"] ?? ""
                let sampleLabels = Labels(sortedUnchecked: labels.pairs.filter { $0.name != "__name__" })
                records.append(.metric(MetricSample(name: name, labels: sampleLabels, timestamp: timestamp, value: Double(bitPattern: bits), kind: kind)))
            case 3:
                let type = try meta.readWireString(limit: 4096)
                guard let message = try nextMessage() else { continue }
                records.append(.event(ChangeEvent(type: type, labels: labels, timestamp: timestamp, message: message)))
            default:
                throw BlockIndexError.outOfRange
            }
        }
        guard meta.readableBytes == 0, text.readableBytes == 0, lengths?.readableBytes ?? 0 == 0, nextTemplated == templated?.count ?? 0
        else { throw BlockIndexError.outOfRange }
        return records
    }

    /// Records matching `query` with `start <= timestamp < end`, in time
    /// order per stream. Chunks that cannot match are not inflated.
    public func search(_ query: LogQuery, start: Int64, end: Int64, statistics: inout SearchStatistics) throws(BlockError) -> [Record] {
        let needles = query.filters.compactMap(\.requiredSubstring)
        var matches: [Record] = []
        for chunk in chunks {
            guard chunk.overlaps(start: start, end: end) else {
                statistics.skippedByTime += 1
                continue
            }
            guard query.matches(labels: chunk.labels) else {
                statistics.skippedByLabels += 1
                continue
            }
            guard needles.allSatisfy(chunk.filter.mightContain) else {
                statistics.skippedByFilter += 1
                continue
            }
            statistics.chunksRead += 1
            for record in try records(of: chunk, containing: needles.map { Array($0.utf8) }) where record.timestamp >= start && record.timestamp < end {
                let message: ByteBuffer
                switch record {
                case .log(let log): message = log.message
                case .event(let event): message = event.message
                case .metric: continue
                }
                if message.withUnsafeReadableBytes({ query.matches(bytes: $0) }) {
                    matches.append(record)
                }
            }
        }
        return matches
    }
}

@available(*, unavailable)
extension BlockReader: Sendable {}

enum BlockIndexError: Error {
    case truncated
    case outOfRange
}

extension ByteBuffer {
    fileprivate mutating func readBlockVarint() throws -> Int {
        let value = try readWireVarint()
        guard value <= UInt64(Int.max) else { throw BlockIndexError.outOfRange }
        return Int(value)
    }

    fileprivate mutating func readBlockSVarint() throws -> Int64 {
        try readWireSVarint()
    }

    fileprivate mutating func readBlockBytes() throws -> ByteBuffer {
        try readWireBytes(limit: 1 << 24)
    }
}

