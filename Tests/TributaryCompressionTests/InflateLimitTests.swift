import NIOCore
import Testing
import TributaryCompression

/// Untrusted compressed input: bombs, corruption, truncation.
@Suite struct InflateLimitTests {
    /// ~1 MB of zeros compresses to about 1 KB at level 9.
    static func zeros(_ count: Int) -> ByteBuffer {
        var compressed = ByteBuffer()
        Deflater(level: .smallest).compress(ByteBuffer(repeating: 0, count: count), appendingTo: &compressed)
        return compressed
    }

    @Test func aBombIsRefusedAtTheLimitWithoutAllocatingItsSize() throws {
        // deflate's best ratio is ~1,000:1, so a ~1 KB stream inflates to
        // ~1 MB; against a 64 KiB limit that is the same refusal a 1 MB
        // stream of 1 GB would get, at a test's cost.
        let bomb = Self.zeros(1_000_000)
        #expect(bomb.readableBytes < 2_000)
        var output = ByteBuffer()
        #expect(throws: CompressionError.inflatedSizeExceedsLimit(limit: 65_536)) {
            try Inflater().inflate(bomb, appendingTo: &output, limit: 65_536)
        }
        #expect(output.capacity < 1_000_000, "must not allocate the bomb's full size")
    }

    @Test func aStreamOfExactlyTheLimitIsAccepted() throws {
        var output = ByteBuffer()
        let produced = try Inflater().inflate(Self.zeros(65_536), appendingTo: &output, limit: 65_536, expectedSize: 65_536)
        #expect(produced == 65_536)
    }

    @Test func oneByteOverTheLimitIsRefused() {
        var output = ByteBuffer()
        #expect(throws: CompressionError.inflatedSizeExceedsLimit(limit: 65_535)) {
            try Inflater().inflate(Self.zeros(65_536), appendingTo: &output, limit: 65_535)
        }
    }

    @Test func aLyingExpectedSizeDoesNotRaiseTheLimit() {
        var output = ByteBuffer()
        #expect(throws: CompressionError.inflatedSizeExceedsLimit(limit: 1000)) {
            try Inflater().inflate(Self.zeros(100_000), appendingTo: &output, limit: 1000, expectedSize: 10)
        }
    }

    @Test func corruptBytesAreANamedError() {
        var stream = Self.zeros(10_000)
        // Damage the deflate data after the 2-byte header.
        stream.setInteger(UInt8(0xFF), at: stream.readerIndex + 3)
        stream.setInteger(UInt8(0xFF), at: stream.readerIndex + 4)
        var output = ByteBuffer()
        do {
            try Inflater().inflate(stream, appendingTo: &output, limit: 100_000)
            Issue.record("corrupt stream was accepted")
        } catch {
            guard case .corruptStream = error else {
                Issue.record("expected corruptStream, got \(error)")
                return
            }
            #expect(error.description.contains("corrupt compressed stream"))
        }
    }

    @Test func aWrongChecksumIsDetected() {
        var stream = ByteBuffer()
        Deflater().compress(ByteBuffer(string: "the quick brown fox"), appendingTo: &stream)
        let last = stream.readerIndex + stream.readableBytes - 1
        stream.setInteger(stream.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)
        var output = ByteBuffer()
        #expect(throws: CompressionError.self) {
            try Inflater().inflate(stream, appendingTo: &output, limit: 100)
        }
    }

    @Test func aTruncatedStreamIsANamedError() {
        let stream = Self.zeros(10_000)
        let truncated = stream.getSlice(at: stream.readerIndex, length: stream.readableBytes - 3)!
        var output = ByteBuffer()
        #expect(throws: CompressionError.truncatedStream(consumed: truncated.readableBytes)) {
            try Inflater().inflate(truncated, appendingTo: &output, limit: 100_000)
        }
    }

    @Test func bytesAfterTheStreamAreANamedError() {
        var stream = Self.zeros(100)
        stream.writeString("junk")
        var output = ByteBuffer()
        #expect(throws: CompressionError.trailingBytes(count: 4)) {
            try Inflater().inflate(stream, appendingTo: &output, limit: 1000)
        }
    }

    @Test func garbageIsNotAStream() {
        var output = ByteBuffer()
        #expect(throws: CompressionError.self) {
            try Inflater().inflate(ByteBuffer(string: "this is not zlib at all"), appendingTo: &output, limit: 1000)
        }
    }

    @Test func theInflaterRecoversAfterAnError() throws {
        let inflater = Inflater()
        var output = ByteBuffer()
        _ = try? inflater.inflate(ByteBuffer(string: "garbage"), appendingTo: &output, limit: 10)
        var good = ByteBuffer()
        Deflater().compress(ByteBuffer(string: "fine"), appendingTo: &good)
        output.clear()
        try inflater.inflate(good, appendingTo: &output, limit: 10)
        #expect(String(buffer: output) == "fine")
    }
}
