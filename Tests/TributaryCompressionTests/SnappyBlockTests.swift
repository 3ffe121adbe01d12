import Foundation
import NIOCore
import Testing
import TributaryCompression

/// Snappy blocks as remote write and Loki push send them, and the hostile
/// ones: bombs, garbage, lengths that lie.
@Suite struct SnappyBlockTests {
    @Test func roundTripsText() throws {
        let text = Array(String(repeating: "level=info msg=\"request served\" status=200\n", count: 500).utf8)
        let block = SnappyBlock.compress(text)
        #expect(block.count < text.count / 4)
        #expect(try SnappyBlock.decompress(block, limit: text.count) == text)
    }

    @Test func anEmptyInputRoundTrips() throws {
        let block = SnappyBlock.compress([])
        #expect(try SnappyBlock.decompress(block, limit: 0) == [])
    }

    @Test func aBlockDeclaringMoreThanTheLimitIsRefusedFromItsHeader() throws {
        // 10 MB of zeros compresses to ~470 KB, of which only the header
        // is read: the refusal names what the block declares.
        let bomb = SnappyBlock.compress([UInt8](repeating: 0, count: 10_000_000))
        #expect(bomb.count < 600_000)
        #expect(throws: SnappyError.uncompressedSizeExceedsLimit(declared: 10_000_000, limit: 1_000_000)) {
            try SnappyBlock.decompress(bomb, limit: 1_000_000)
        }
    }

    @Test func aHeaderThatLiesAboutAHugeLengthIsRefusedWithoutAllocating() throws {
        // A varint header of 4 GiB − 1 (snappy's largest) followed by
        // nothing: a 5-byte bomb.
        let liar: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: SnappyError.uncompressedSizeExceedsLimit(declared: 4_294_967_295, limit: 64 << 20)) {
            try SnappyBlock.decompress(liar, limit: 64 << 20)
        }
    }

    @Test func garbageIsACorruptBlock() throws {
        // Declares 100 bytes, then a copy whose offset points before the start.
        let garbage: [UInt8] = [100, 0x01, 0xFF, 0xFF]
        #expect(throws: SnappyError.corruptBlock) { try SnappyBlock.decompress(garbage, limit: 1000) }
        #expect(throws: SnappyError.corruptBlock) { try SnappyBlock.decompress([], limit: 1000) }
        #expect(throws: SnappyError.corruptBlock) { try SnappyBlock.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], limit: 1000) }
    }

    @Test func aTruncatedBlockIsCorrupt() throws {
        let text = Array(String(repeating: "abcdefgh", count: 100).utf8)
        let block = SnappyBlock.compress(text)
        #expect(throws: SnappyError.corruptBlock) { try SnappyBlock.decompress(Array(block.dropLast(3)), limit: 10_000) }
    }

    @Test func gzipBodiesInflateWithTheGzipFormat() throws {
        // What `Content-Encoding: gzip` senders produce: a gzip member.
        var compressed = ByteBuffer()
        let text = ByteBuffer(string: #"{"streams":[]}"#)
        _ = Deflater(level: .fastest, format: .gzip).compress(text, appendingTo: &compressed)
        #expect(compressed.getBytes(at: 0, length: 2) == [0x1F, 0x8B])
        var output = ByteBuffer()
        try Inflater(format: .gzip).inflate(compressed, appendingTo: &output, limit: 1000)
        #expect(output == text)
    }
}
