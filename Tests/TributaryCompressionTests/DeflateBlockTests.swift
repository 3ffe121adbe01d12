import Foundation
import NIOCore
import Testing
import TributaryCompression

/// `Deflater.compress(_:blocks:)`: one zlib stream whose deflate blocks end
/// where the caller says, each with its own strategy.
@Suite struct DeflateBlockTests {
    /// Columns of different kinds of bytes, as a sealed chunk holds them.
    static func columns() -> (input: ByteBuffer, ends: [Int]) {
        var input = ByteBuffer()
        var ends: [Int] = []
        var state: UInt64 = 0x9E37_79B9
        for line in 0..<3_000 { input.writeString("user\(line % 17) logged in\n") }
        ends.append(input.readableBytes)
        for _ in 0..<4_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            input.writeInteger(UInt8(truncatingIfNeeded: state >> 56))
        }
        ends.append(input.readableBytes)
        input.writeRepeatingByte(0, count: 5_000)
        ends.append(input.readableBytes)
        return (input, ends)
    }

    @Test func blocksWithAnyStrategyInflateToTheInput() throws {
        let (input, ends) = Self.columns()
        let deflater = Deflater(level: .smallest)
        for strategies in [[DeflateStrategy.standard, .huffmanOnly, .runLength], [.filtered, .standard, .huffmanOnly], [.runLength, .runLength, .standard]] {
            var compressed = ByteBuffer()
            let blocks = zip(ends, strategies).map { Deflater.Block(end: $0, strategy: $1) }
            deflater.compress(input, blocks: blocks, appendingTo: &compressed)
            var output = ByteBuffer()
            try Inflater().inflate(compressed, appendingTo: &output, limit: input.readableBytes)
            #expect(output == input, "\(strategies)")
        }
        // The plain call afterwards is back to the standard strategy: the same bytes as a fresh deflater's.
        var again = ByteBuffer()
        var fresh = ByteBuffer()
        deflater.compress(input, appendingTo: &again)
        Deflater(level: .smallest).compress(input, appendingTo: &fresh)
        #expect(again == fresh)
    }

    /// Empty blocks, a block at offset 0, one at the very end, and no input at all.
    @Test func emptyAndEdgeBlocksAreAccepted() throws {
        let (input, ends) = Self.columns()
        let deflater = Deflater(level: .smallest)
        let cases: [(ByteBuffer, [Deflater.Block])] = [
            (input, [Deflater.Block(end: 0), Deflater.Block(end: 0), Deflater.Block(end: ends[0]), Deflater.Block(end: ends[0]),
                     Deflater.Block(end: input.readableBytes)]),
            (ByteBuffer(), [Deflater.Block(end: 0, strategy: .huffmanOnly)]),
            (ByteBuffer(), []),
        ]
        for (data, blocks) in cases {
            var compressed = ByteBuffer()
            deflater.compress(data, blocks: blocks, appendingTo: &compressed)
            var output = ByteBuffer()
            try Inflater().inflate(compressed, appendingTo: &output, limit: data.readableBytes)
            #expect(output == data)
        }
    }

    /// Deterministic (sealed blocks must be), and ending blocks at column
    /// ends costs at most a few bytes over zlib's own choice (sizes, not timings).
    @Test func blocksAtColumnEndsAreDeterministicAndCostLittle() {
        let (input, ends) = Self.columns()
        let blocks = ends.map { Deflater.Block(end: $0) }
        var first = ByteBuffer()
        var second = ByteBuffer()
        var plain = ByteBuffer()
        Deflater(level: .smallest).compress(input, blocks: blocks, appendingTo: &first)
        Deflater(level: .smallest).compress(input, blocks: blocks, appendingTo: &second)
        Deflater(level: .smallest).compress(input, appendingTo: &plain)
        #expect(first == second)
        #expect(first.readableBytes <= plain.readableBytes + 16, "blocks \(first.readableBytes) B, one stream \(plain.readableBytes) B")
    }
}
