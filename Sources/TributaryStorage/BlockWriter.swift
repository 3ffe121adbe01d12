import Foundation
import NIOCore
import TributaryCompression
import TributaryModel
import TributaryWire

/// Writes a block: the log lines and change events of one partition,
/// grouped into one chunk per stream, each chunk sorted by time and
/// compressed on its own (zlib level 6 by default), then an index.
///
/// ```
/// block  := "TBLK" u32 | version u32 = 1 | chunk* | index | footer
/// chunk  := zlib stream of: varint count, record*
/// record := u8 kind (1 log, 3 event) | svarint ts delta | (u8 severity | string type)
///           | bytes message | varint nfields, (string name, string value)*   ; fields: logs only
/// index  := varint chunks, entry*
/// entry  := u64 stream id | varint labels, (string name, string value)* | i64 min ts | i64 max ts
///           | varint records | u64 offset | varint compressed length | varint raw length
///           | u32 CRC32C of the compressed chunk | varint filter words, u64 word*
/// footer := u64 index offset | u32 index length | u32 CRC32C of the index | "KLBT" u32
/// ```
/// Integers are big-endian. Chunks are ordered by stream id, so the same
/// records always give the same bytes. The file is written to a temporary
/// name, synced, and renamed into place, so a crash leaves either the whole
/// block or none of it.
public enum BlockWriter {
    public struct Summary: Equatable, Sendable {
        public let chunks: Int
        public let records: Int
        public let bytes: Int
    }

    /// Writes `records` (metric samples are not stored in blocks and are
    /// refused) to `path`.
    @discardableResult
    public static func write(_ records: [Record], to path: String, level: CompressionLevel = .default) throws -> Summary {
        var streams: [Labels: [Record]] = [:]
        for record in records {
            if case .metric = record { throw BlockError.io(path: path, detail: "metric samples do not belong in log blocks") }
            streams[record.labels, default: []].append(record)
        }
        let ordered = streams.map { (id: $0.key.streamID, labels: $0.key, records: $0.value.sorted(by: canonicalOrder)) }
            .sorted { $0.id < $1.id }

        var file = ByteBuffer()
        file.writeInteger(StorageFileNames.blockMagic)
        file.writeInteger(StorageFileNames.blockVersion)
        let deflater = Deflater(level: level, format: .zlib)
        var index = ByteBuffer()
        index.writeVarint(ordered.count)
        for stream in ordered {
            var raw = ByteBuffer()
            var trigrams = Set<UInt32>()
            raw.writeVarint(stream.records.count)
            var previous: Int64 = 0
            for record in stream.records {
                switch record {
                case .log(let log):
                    raw.writeInteger(UInt8(1))
                    raw.writeSVarint(log.timestamp &- previous)
                    raw.writeInteger(log.severity.rawValue)
                    raw.writeWireBytes(log.message)
                    raw.writeVarint(log.fields.count)
                    for field in log.fields {
                        raw.writeWireString(field.name)
                        raw.writeWireString(field.value)
                    }
                    log.message.withUnsafeReadableBytes { TrigramFilter.collect($0, into: &trigrams) }
                case .event(let event):
                    raw.writeInteger(UInt8(3))
                    raw.writeSVarint(event.timestamp &- previous)
                    raw.writeWireString(event.type)
                    raw.writeWireBytes(event.message)
                    event.message.withUnsafeReadableBytes { TrigramFilter.collect($0, into: &trigrams) }
                case .metric:
                    break
                }
                previous = record.timestamp
            }
            let offset = file.writerIndex
            let compressedLength = deflater.compress(raw, appendingTo: &file)
            let checksum = file.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            let filter = TrigramFilter(trigrams: trigrams)

            index.writeInteger(stream.id)
            index.writeVarint(stream.labels.count)
            for label in stream.labels {
                index.writeWireString(label.name)
                index.writeWireString(label.value)
            }
            index.writeInteger(stream.records.first!.timestamp)
            index.writeInteger(stream.records.last!.timestamp)
            index.writeVarint(stream.records.count)
            index.writeInteger(UInt64(offset))
            index.writeVarint(compressedLength)
            index.writeVarint(raw.readableBytes)
            index.writeInteger(checksum)
            index.writeVarint(filter.words.count)
            for word in filter.words { index.writeInteger(word) }
        }
        let indexOffset = file.writerIndex
        let indexLength = index.readableBytes
        let indexChecksum = index.withUnsafeReadableBytes { CRC32C.checksum($0) }
        file.writeBuffer(&index)
        file.writeInteger(UInt64(indexOffset))
        file.writeInteger(UInt32(indexLength))
        file.writeInteger(indexChecksum)
        file.writeInteger(StorageFileNames.blockFooterMagic)

        try writeAtomically(file, to: path)
        return Summary(chunks: ordered.count, records: records.count, bytes: file.readableBytes)
    }

    /// Time order, with ties broken by content, so that replicas holding the
    /// same records write the same bytes (and their digests compare equal)
    /// whatever order the records arrived in.
    static func canonicalOrder(_ a: Record, _ b: Record) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        let (kindA, messageA, restA) = sortKey(a)
        let (kindB, messageB, restB) = sortKey(b)
        if kindA != kindB { return kindA < kindB }
        if messageA != messageB { return messageA.readableBytesView.lexicographicallyPrecedes(messageB.readableBytesView) }
        return restA < restB
    }

    private static func sortKey(_ record: Record) -> (Int, ByteBuffer, String) {
        switch record {
        case .log(let log):
            return (1, log.message, "\(log.severity.rawValue)|" + log.fields.map { "\($0.name)=\($0.value)" }.joined(separator: "|"))
        case .event(let event):
            return (3, event.message, event.type)
        case .metric(let sample):
            return (2, ByteBuffer(), sample.name)
        }
    }

    private static func writeAtomically(_ buffer: ByteBuffer, to path: String) throws {
        let temporary = path + ".tmp"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unlink(temporary)
        let file = try SegmentFile(path: temporary, create: true)
        try file.append(buffer)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw SegmentFile.error(path, "renaming into", errno) }
        try SegmentFile.syncDirectory(directory)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
