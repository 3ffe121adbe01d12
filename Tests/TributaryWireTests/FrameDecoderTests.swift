import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

@Suite struct FrameDecoderTests {
    static func sampleFrames() throws -> [Frame] {
        let batch = try BatchEncoder().encode(GoldenFrames.records, agentID: "agent-1", sequence: 7)
        let plain = try BatchEncoder(compression: nil).encode(GoldenFrames.records, agentID: "agent-1", sequence: 8)
        return GoldenFrames.frames.keys.sorted().map { GoldenFrames.frames[$0]! } + [.batch(batch), .batch(plain)]
    }

    @Test func passesTheByteToMessageDecoderVerifier() throws {
        let pairs = try Self.sampleFrames().map { ($0.encoded(), [$0]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            FrameDecoder()
        }
    }

    @Test func decodesFramesDripFedAndMerged() throws {
        let frames = try Self.sampleFrames()
        var stream = ByteBuffer()
        for frame in frames { frame.write(into: &stream) }

        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var generator = SeededGenerator(seed: 42)
        while stream.readableBytes > 0 {
            let chunk = stream.readSlice(length: min(stream.readableBytes, Int.random(in: 1...40, using: &generator)))!
            try channel.writeInbound(chunk)
        }
        var decoded: [Frame] = []
        while let frame = try channel.readInbound(as: Frame.self) { decoded.append(frame) }
        #expect(decoded == frames)
        #expect(try channel.finish().isClean)
    }

    @Test func refusesAnOversizedLengthFromTheHeaderAlone() throws {
        var header = ByteBuffer(bytes: [0x54, 0x52, 0x49, 0x42, 1, 0x20, 0, 0])
        header.writeInteger(UInt32(9 * 1024 * 1024))
        header.writeInteger(UInt32(0))
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        #expect(throws: WireError.frameTooLarge(length: 9 * 1024 * 1024, limit: 8 * 1024 * 1024)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test func aConfiguredLimitApplies() throws {
        var limits = WireLimits()
        limits.maxFrameBytes = 100
        let frame = Frame.busy(Busy(sequence: 1, retryAfterMilliseconds: 1, reason: String(repeating: "x", count: 200)))
        var buffer = frame.encoded()
        #expect(throws: WireError.frameTooLarge(length: 214, limit: 100)) { try Frame.read(from: &buffer, limits: limits) }
    }

    @Test func refusesATLSClientHelloAfterFourBytesWithAHint() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        do {
            try channel.writeInbound(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02]))
            Issue.record("a TLS ClientHello was accepted")
        } catch let error as WireError {
            #expect(error.kind == "bad-magic")
            #expect(error.description.contains("TLS handshake on a plain-TCP port"))
        }
        _ = try? channel.finish()
    }

    @Test func refusesAnHTTPRequestWithAHint() {
        var buffer = ByteBuffer(string: "GET /metrics HTTP/1.1\r\n\r\n")
        do {
            _ = try Frame.read(from: &buffer)
            Issue.record("an HTTP request was accepted")
        } catch {
            #expect(error.description.contains("HTTP request to the wire-protocol port"))
        }
    }

    @Test func aStreamEndingMidFrameIsTruncated() throws {
        let bytes = Frame.ping(nonce: 1).encoded()
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(bytes.getSlice(at: 0, length: 20)!)
        #expect(try channel.readInbound(as: Frame.self) == nil)
        #expect(throws: WireError.truncated(field: "frame at end of stream", needed: 24, available: 20)) {
            _ = try channel.finish()
        }
    }

    @Test func aCorruptedPayloadFailsItsChecksum() {
        var bytes = Frame.ping(nonce: 99).encoded()
        bytes.setInteger(UInt8(0x42), at: 20)
        do {
            _ = try Frame.read(from: &bytes)
            Issue.record("corruption not detected")
        } catch {
            #expect(error.kind == "checksum-mismatch")
            #expect(error.description.contains("PING frame checksum mismatch"))
        }
    }

    @Test func theEncoderHandlerWritesFrames() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(FrameEncoder()))
        try channel.writeOutbound(Frame.pong(nonce: 5))
        var written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try Frame.read(from: &written) == .pong(nonce: 5))
        #expect(try channel.finish().isClean)
    }
}
