import NIOCore
import TributaryModel
import TributaryWire

/// One chunk being written, column by column (see `BlockWriter`): the
/// per-record fields, the message lengths, and the messages as lines.
struct ChunkColumns {
    private var meta = ByteBuffer()
    private var lengths = ByteBuffer()
    private var text = ByteBuffer()
    /// Some message holds a newline: lengths must be stored (mode 0).
    private var needsLengths = false

    var bytes: Int { meta.readableBytes + text.readableBytes }

    mutating func append(_ record: Record, previous: Int64, trigrams: inout TrigramCollector) {
        switch record {
        case .log(let log):
            meta.writeInteger(UInt8(1))
            meta.writeSVarint(log.timestamp &- previous)
            meta.writeInteger(log.severity.rawValue)
            meta.writeVarint(log.fields.count)
            for field in log.fields {
                meta.writeWireString(field.name)
                meta.writeWireString(field.value)
            }
            appendMessage(log.message, trigrams: &trigrams)
        case .metric(let sample):
            meta.writeInteger(UInt8(2))
            meta.writeSVarint(sample.timestamp &- previous)
            meta.writeInteger(sample.kind.rawValue)
            meta.writeInteger(sample.value.bitPattern)
        case .event(let event):
            meta.writeInteger(UInt8(3))
            meta.writeSVarint(event.timestamp &- previous)
            meta.writeWireString(event.type)
            appendMessage(event.message, trigrams: &trigrams)
        }
    }

    private mutating func appendMessage(_ message: ByteBuffer, trigrams: inout TrigramCollector) {
        message.withUnsafeReadableBytes { bytes in
            trigrams.collect(bytes)
            if !needsLengths, let base = bytes.baseAddress, memchr(base, 0x0A, bytes.count) != nil { needsLengths = true }
        }
        lengths.writeVarint(message.readableBytes)
        text.writeImmutableBuffer(message)
        text.writeInteger(UInt8(0x0A))
    }

    /// `u8 mode | varint meta length | meta | (mode 0: varint n | lengths) | text`
    func write(into raw: inout ByteBuffer) {
        raw.writeInteger(UInt8(needsLengths ? 0 : 1))
        raw.writeVarint(meta.readableBytes)
        raw.writeImmutableBuffer(meta)
        if needsLengths {
            raw.writeVarint(lengths.readableBytes)
            raw.writeImmutableBuffer(lengths)
        }
        raw.writeImmutableBuffer(text)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
