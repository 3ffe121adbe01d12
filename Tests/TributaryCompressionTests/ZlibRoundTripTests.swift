import Foundation
import NIOCore
import Testing
import TributaryCompression

@Suite struct ZlibRoundTripTests {
    static let loghub = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/loghub")

    @Test(arguments: ["Apache_2k.log", "HDFS_2k.log", "Linux_2k.log"])
    func realLogsRoundTripAndShrink(file: String) throws {
        let data = try Data(contentsOf: Self.loghub.appendingPathComponent(file))
        let input = ByteBuffer(bytes: data)
        let deflater = Deflater(level: .fastest)
        var compressed = ByteBuffer()
        deflater.compress(input, appendingTo: &compressed)
        #expect(compressed.readableBytes * 3 < input.readableBytes, "level 1 should shrink real logs more than 3×")
        var output = ByteBuffer()
        let produced = try Inflater().inflate(compressed, appendingTo: &output, limit: input.readableBytes)
        #expect(produced == input.readableBytes)
        #expect(output == input)
    }

    @Test func streamsAreReusedAcrossCalls() throws {
        let deflater = Deflater(level: .default)
        let inflater = Inflater()
        for size in [0, 1, 100, 65_536, 300_000] {
            let input = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) })
            var compressed = ByteBuffer()
            deflater.compress(input, appendingTo: &compressed)
            var output = ByteBuffer()
            try inflater.inflate(compressed, appendingTo: &output, limit: size)
            #expect(output == input, "size \(size)")
        }
    }

    @Test func appendsAfterExistingBytes() throws {
        var compressed = ByteBuffer(string: "prefix")
        Deflater().compress(ByteBuffer(string: "hello hello hello"), appendingTo: &compressed)
        compressed.moveReaderIndex(forwardBy: 6)
        var output = ByteBuffer(string: ">")
        try Inflater().inflate(compressed, appendingTo: &output, limit: 100)
        #expect(String(buffer: output) == ">hello hello hello")
    }

    @Test func everyLevelIsAccepted() {
        #expect(CompressionLevel(-1) == nil)
        #expect(CompressionLevel(10) == nil)
        for level in 0...9 {
            let deflater = Deflater(level: CompressionLevel(level)!)
            var out = ByteBuffer()
            #expect(deflater.compress(ByteBuffer(string: "abc"), appendingTo: &out) > 0)
        }
    }
}
