import Foundation
import NIOCore
import TributaryModel
import TributaryWire

/// Writes a batch block: the bodies of the batches a flush covers, exactly
/// as agents sent them (no recompression: flushing costs a copy and a
/// checksum), followed by an index of their time ranges and streams.
///
/// ```
/// batch block := "TBAT" u32 | version u32 = 1 | body* | index | footer
/// index       := varint entries, entry*
/// entry       := i64 min ts | i64 max ts | varint records | u64 offset | varint length | varint raw length
///                | u8 flags (1: body is raw DEFLATE) | u32 CRC32C of the body
///                | varint log streams, labels* | varint metric streams, labels*
/// labels      := varint n, (string name, string value)*
/// footer      := u64 index offset | u32 index length | u32 CRC32C of the index | "TABT" u32
/// ```
/// A body holds the whole batch; a batch straddling two partitions is in
/// both, and each partition reads only its own records. Written to
/// `<path>.tmp`, synced and renamed, like every block.
enum BatchBlockWriter {
    static let magic: UInt32 = 0x5442_4154
    static let footerMagic: UInt32 = 0x5441_4254

    static func write(_ batches: [StoredBatch], to path: String) throws {
        unlink(path + ".tmp")
        let file = try SegmentFile(path: path + ".tmp", create: true)
        var buffer = ByteBuffer()
        buffer.writeInteger(magic)
        buffer.writeInteger(UInt32(1))
        var index = ByteBuffer()
        index.writeVarint(batches.count)
        for batch in batches {
            let offset = file.size + buffer.readableBytes
            var body = batch.body
            let checksum = body.withUnsafeReadableBytes { CRC32C.checksum($0) }
            let length = body.readableBytes
            buffer.writeBuffer(&body)
            index.writeInteger(batch.minTimestamp)
            index.writeInteger(batch.maxTimestamp)
            index.writeVarint(batch.recordCount)
            index.writeInteger(UInt64(offset))
            index.writeVarint(length)
            index.writeVarint(batch.rawLength)
            index.writeInteger(UInt8(batch.isCompressed ? 1 : 0))
            index.writeInteger(checksum)
            for streams in [batch.logStreams, batch.metricStreams] {
                index.writeVarint(streams.count)
                for labels in streams {
                    index.writeVarint(labels.count)
                    for label in labels {
                        index.writeWireString(label.name)
                        index.writeWireString(label.value)
                    }
                }
            }
            if buffer.readableBytes >= 8 << 20 {
                try file.append(buffer)
                buffer.clear()
            }
        }
        let indexOffset = file.size + buffer.readableBytes
        let indexLength = index.readableBytes
        let indexChecksum = index.withUnsafeReadableBytes { CRC32C.checksum($0) }
        buffer.writeBuffer(&index)
        buffer.writeInteger(UInt64(indexOffset))
        buffer.writeInteger(UInt32(indexLength))
        buffer.writeInteger(indexChecksum)
        buffer.writeInteger(footerMagic)
        try file.append(buffer)
        try file.sync()
        guard rename(path + ".tmp", path) == 0 else { throw SegmentFile.error(path, "renaming into", errno) }
        try SegmentFile.syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
