import Foundation
import NIOCore
import TributaryCompression
import TributaryModel
import TributaryWire

/// Writes a block: records of one partition, grouped into chunks per
/// stream, each chunk sorted by time and compressed on its own, then an
/// index. Log lines and change events go in log blocks, metric samples in
/// metric blocks (the stream of a sample is its labels plus `__name__`).
///
/// ```
/// block  := "TBLK" u32 | version u32 (1, or 3 if templated; 2 is read) | chunk* | index | footer
/// chunk  := zlib stream of: varint count | u8 mode | varint meta length | meta
///           | (mode 0 only: varint lengths length | varint message length*) | text
///           | (mode 2 only, instead of text: the messages as templates and
///             columns, `TemplatedTextWriter`; only in version-2 blocks)
///           | (mode 3 only, instead of text: templates and value columns,
///             `TemplateColumnsWriter`; only in version-3 blocks)
/// meta   := record*, where record := u8 kind | svarint ts delta | body
///           kind 1 log:    u8 severity | varint nfields, (string name, string value)*
///           kind 2 metric: u8 metric kind | u64 value bits   (no message)
///           kind 3 event:  string type
/// text   := each log's and event's message followed by "\n", in order.
///           Mode 1 (no message holds a newline): lines end at "\n".
///           Mode 0: the lengths say where each message ends.
/// index  := varint chunks, entry*
/// entry  := u64 stream id | varint labels, (string name, string value)* | i64 min ts | i64 max ts
///           | varint records | u64 offset | varint compressed length | varint raw length
///           | u32 CRC32C of the compressed chunk | varint filter words, u64 word*
/// footer := u64 index offset | u32 index length | u32 CRC32C of the index | "KLBT" u32
/// ```
/// Messages are kept apart from the per-record fields, one per line, so
/// that zlib sees plain log text as `gzip` would (on Loghub, 8% smaller
/// than interleaving length-prefixed messages with the fields). Sealed
/// blocks go further (`templated`): every chunk's messages become
/// templates plus value columns (mode 3), which on Loghub takes a little
/// over half the space of the lines compressed alone and lets searches
/// rebuild only the lines that may match.
/// Integers are big-endian. Chunks are ordered by stream id, records by
/// `canonicalOrder`, and a stream is cut into chunks at fixed raw sizes, so
/// the same records always give the same bytes whatever order they came in.
/// The file is written to `<path>.tmp`, synced, and renamed into place, so a
/// crash leaves either the whole block or none of it (plus a `.tmp` that
/// the partition store removes at start-up).
///
/// Memory: one chunk's raw bytes and the index; the stream being appended
/// is the caller's.
public final class BlockWriter {
    public struct Summary: Equatable, Sendable {
        public let chunks: Int
        public let records: Int
        public let bytes: Int
    }

    /// A chunk is cut once its raw bytes reach this: bounds the memory a
    /// reader needs and keeps the trigram filters selective.
    public static let chunkRawBytes = 4 << 20

    public let path: String
    private let file: SegmentFile
    private let deflater: Deflater
    private var index = ByteBuffer()
    private var chunkCount = 0
    private var recordCount = 0
    private var lastStreamID: UInt64?
    private var trigrams = TrigramCollector()
    /// Chunks store messages as templates and columns (mode 2).
    public let templated: Bool

    public init(path: String, level: CompressionLevel = .default, templated: Bool = false) throws {
        self.path = path
        self.templated = templated
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unlink(path + ".tmp")
        let file = try SegmentFile(path: path + ".tmp", create: true)
        var header = ByteBuffer()
        header.writeInteger(StorageFileNames.blockMagic)
        header.writeInteger(templated ? StorageFileNames.columnsBlockVersion : StorageFileNames.blockVersion)
        try file.append(header)
        self.deflater = Deflater(level: level, format: .zlib)
        self.file = file
    }

    /// The labels a record's stream is stored under.
    public static func streamLabels(of record: Record) -> Labels {
        switch record {
        case .log(let log): return log.labels
        case .event(let event): return event.labels
        case .metric(let sample): return (try? sample.labels.setting("__name__", to: sample.name)) ?? sample.labels
        }
    }

    /// Appends one stream's records. Streams must come in increasing
    /// stream-id order; records are sorted here.
    public func append(stream labels: Labels, records: [Record]) throws {
        guard !records.isEmpty else { return }
        let streamID = labels.streamID
        if let lastStreamID, streamID <= lastStreamID {
            throw BlockError.io(path: path, detail: "streams must be appended in increasing id order")
        }
        lastStreamID = streamID
        let sorted = Self.canonicallySorted(records)
        var start = 0
        var raw = ByteBuffer()
        var blocks: [Deflater.Block] = []
        var previous: Int64 = 0
        var columns = ChunkColumns(templated: templated)
        for (position, record) in sorted.enumerated() {
            columns.append(record, previous: previous, trigrams: &trigrams)
            previous = record.timestamp
            if columns.bytes >= Self.chunkRawBytes || position == sorted.count - 1 {
                raw.clear()
                blocks.removeAll(keepingCapacity: true)
                raw.writeVarint(position + 1 - start)
                columns.write(into: &raw, blocks: &blocks)
                try writeChunk(raw, blocks: blocks, streamID: streamID, labels: labels, records: sorted[start...position])
                columns = ChunkColumns(templated: templated)
                previous = 0
                start = position + 1
            }
        }
    }

    /// `records` in `canonicalOrder`. Sorts indices by a timestamp array
    /// and looks at the records only on ties: taking a record apart costs
    /// reference counting, which dominated sorting whole records.
    static func canonicallySorted(_ records: [Record]) -> [Record] {
        let timestamps = records.map(\.timestamp)
        let order = timestamps.indices.sorted { i, j in
            timestamps[i] != timestamps[j] ? timestamps[i] < timestamps[j] : canonicalOrder(records[i], records[j])
        }
        return order.map { records[$0] }
    }

    private func writeChunk(_ raw: ByteBuffer, blocks: [Deflater.Block], streamID: UInt64, labels: Labels, records: ArraySlice<Record>) throws {
        var compressed = ByteBuffer()
        compressed.reserveCapacity(raw.readableBytes / 3 + 64)
        let compressedLength = blocks.isEmpty ? deflater.compress(raw, appendingTo: &compressed)
            : deflater.compress(raw, blocks: blocks, appendingTo: &compressed)
        let checksum = compressed.withUnsafeReadableBytes { CRC32C.checksum($0) }
        let offset = file.size
        try file.append(compressed)
        let filter = trigrams.takeFilter()

        index.writeInteger(streamID)
        index.writeVarint(labels.count)
        for label in labels {
            index.writeWireString(label.name)
            index.writeWireString(label.value)
        }
        index.writeInteger(records.first!.timestamp)
        index.writeInteger(records.last!.timestamp)
        index.writeVarint(records.count)
        index.writeInteger(UInt64(offset))
        index.writeVarint(compressedLength)
        index.writeVarint(raw.readableBytes)
        index.writeInteger(checksum)
        index.writeVarint(filter.words.count)
        for word in filter.words { index.writeInteger(word) }
        chunkCount += 1
        recordCount += records.count
    }

    /// Writes the index and footer, syncs, and renames the block into place.
    @discardableResult
    public func finish() throws -> Summary {
        var tail = ByteBuffer()
        tail.writeVarint(chunkCount)
        let indexOffset = file.size
        tail.writeBuffer(&index)
        let indexLength = tail.readableBytes
        let indexChecksum = tail.withUnsafeReadableBytes { CRC32C.checksum($0) }
        tail.writeInteger(UInt64(indexOffset))
        tail.writeInteger(UInt32(indexLength))
        tail.writeInteger(indexChecksum)
        tail.writeInteger(StorageFileNames.blockFooterMagic)
        try file.append(tail)
        try file.sync()
        guard rename(path + ".tmp", path) == 0 else { throw SegmentFile.error(path, "renaming into", errno) }
        try SegmentFile.syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return Summary(chunks: chunkCount, records: recordCount, bytes: file.size)
    }

    /// Writes `records` (any kinds; callers keep logs and metrics in separate
    /// blocks) to `path` in one go.
    @discardableResult
    public static func write(_ records: [Record], to path: String, level: CompressionLevel = .default, templated: Bool = false) throws -> Summary {
        var streams: [Labels: [Record]] = [:]
        // Records of one stream usually come in runs (a batch is mostly one
        // stream): one dictionary lookup per run, not per record.
        var run: [Record] = []
        var runLabels: Labels?
        for record in records {
            let labels = streamLabels(of: record)
            if labels != runLabels {
                if let runLabels { streams[runLabels, default: []] += run }
                run.removeAll(keepingCapacity: true)
                runLabels = labels
            }
            run.append(record)
        }
        if let runLabels { streams[runLabels, default: []] += run }
        let writer = try BlockWriter(path: path, level: level, templated: templated)
        for (labels, records) in streams.sorted(by: { $0.key.streamID < $1.key.streamID }) {
            try writer.append(stream: labels, records: records)
        }
        return try writer.finish()
    }

    /// Time order, with ties broken by content, so that replicas holding the
    /// same records write the same bytes (and their digests compare equal)
    /// whatever order the records arrived in. Allocates nothing: ties are
    /// common (many lines in one second) and sorting is on the flush path.
    static func canonicalOrder(_ a: Record, _ b: Record) -> Bool {
        let (timeA, timeB) = (a.timestamp, b.timestamp)
        if timeA != timeB { return timeA < timeB }
        switch (a, b) {
        case (.log(let x), .log(let y)):
            let order = compare(x.message, y.message)
            if order != 0 { return order < 0 }
            if x.severity != y.severity { return x.severity < y.severity }
            return x.fields.lexicographicallyPrecedes(y.fields) { ($0.name, $0.value) < ($1.name, $1.value) }
        case (.event(let x), .event(let y)):
            let order = compare(x.message, y.message)
            return order != 0 ? order < 0 : x.type < y.type
        case (.metric(let x), .metric(let y)):
            return (x.kind.rawValue, x.value.bitPattern) < (y.kind.rawValue, y.value.bitPattern)
        default:
            return rank(a) < rank(b)
        }
    }

    private static func rank(_ record: Record) -> Int {
        switch record {
        case .log: return 1
        case .metric: return 2
        case .event: return 3
        }
    }

    /// memcmp order, shorter first on a common prefix.
    private static func compare(_ a: ByteBuffer, _ b: ByteBuffer) -> Int {
        a.withUnsafeReadableBytes { x in
            b.withUnsafeReadableBytes { y in
                let common = min(x.count, y.count)
                if common > 0 {
                    let order = memcmp(x.baseAddress!, y.baseAddress!, common)
                    if order != 0 { return Int(order) }
                }
                return x.count - y.count
            }
        }
    }
}

@available(*, unavailable)
extension BlockWriter: Sendable {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
