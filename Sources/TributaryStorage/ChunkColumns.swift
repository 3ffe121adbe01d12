import NIOCore
import TributaryCompression
import TributaryModel
import TributaryWire

/// One chunk being written, column by column (see `BlockWriter`): the
/// per-record fields, the message lengths, and the messages as lines, or
/// (`templated`) the messages kept for `TemplateColumnsWriter`.
struct ChunkColumns {
    private var meta = ByteBuffer()
    private var lengths = ByteBuffer()
    private var text = ByteBuffer()
    /// Some message holds a newline: lengths must be stored (mode 0).
    private var needsLengths = false
    let templated: Bool
    private var messages: [ByteBuffer] = []
    /// Bytes of the messages as lines (as `text` holds them when not templated).
    private var textBytes = 0

    init(templated: Bool = false) {
        self.templated = templated
    }

    /// The chunk's size as plain lines, whatever the mode: chunks are cut
    /// at the same records in every mode.
    var bytes: Int { meta.readableBytes + textBytes }

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
        textBytes += message.readableBytes + 1
        if templated {
            messages.append(message)
            return
        }
        lengths.writeVarint(message.readableBytes)
        text.writeImmutableBuffer(message)
        text.writeInteger(UInt8(0x0A))
    }

    /// `u8 mode | varint meta length | meta | (mode 0: varint n | lengths) | text`,
    /// or `u8 3 | varint meta length | meta | template columns section`,
    /// adding to `blocks` where deflate blocks should end.
    func write(into raw: inout ByteBuffer, blocks: inout [Deflater.Block]) {
        if templated {
            raw.writeInteger(UInt8(3))
            raw.writeVarint(meta.readableBytes)
            raw.writeImmutableBuffer(meta)
            blocks.append(Deflater.Block(end: raw.writerIndex - raw.readerIndex))
            TemplateColumnsWriter.write(messages, into: &raw, blocks: &blocks)
            return
        }
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
