import NIOCore
import Testing
import TributaryTestSupport
import TributaryWire

/// `proto/vectors/`: every valid vector decodes to the documented values and
/// re-encodes to the same bytes; every invalid one fails with its named error.
@Suite struct GoldenVectorTests {
    static let valid = (try? HexVector.all(in: RepositoryPaths.protocolVectors)) ?? []
    static let invalid = (try? HexVector.all(in: RepositoryPaths.protocolVectors.appendingPathComponent("invalid"))) ?? []

    @Test func everyDocumentedVectorExists() {
        let names = Set(Self.valid.map(\.name))
        for name in GoldenFrames.frames.keys.sorted() + GoldenFrames.batches.keys.sorted() {
            #expect(names.contains(name), "missing proto/vectors/\(name)")
        }
        #expect(Self.invalid.count >= 15)
    }

    @Test(arguments: valid)
    func validVectorDecodesAndReencodesByteForByte(vector: HexVector) throws {
        var buffer = ByteBuffer(bytes: vector.bytes)
        let frame = try #require(try Frame.read(from: &buffer))
        #expect(buffer.readableBytes == 0, "\(vector.name): bytes left after the frame")
        if let expected = GoldenFrames.frames[vector.name] {
            #expect(frame == expected)
        } else if let expected = GoldenFrames.batches[vector.name] {
            guard case .batch(let batch) = frame else {
                Issue.record("\(vector.name) is not a BATCH")
                return
            }
            #expect(batch.agentID == "agent-7f3c")
            #expect(batch.sequence == expected.sequence)
            #expect(batch.isCompressed == expected.compressed)
            #expect(try BatchDecoder().decode(batch) == GoldenFrames.records)
            // Our encoder produces the same body (zlib level 1 is deterministic).
            let encoder = BatchEncoder(compression: expected.compressed ? .fastest : nil)
            let ours = try encoder.encode(GoldenFrames.records, agentID: "agent-7f3c", sequence: expected.sequence)
            #expect(Array(Frame.batch(ours).encoded().readableBytesView) == vector.bytes)
        } else {
            Issue.record("no expected value for \(vector.name)")
        }
        #expect(Array(frame.encoded().readableBytesView) == vector.bytes)
    }

    @Test(arguments: invalid)
    func invalidVectorFailsWithItsNamedError(vector: HexVector) throws {
        let expected = try #require(vector.expectedError, "\(vector.name) has no '# error:' line")
        var buffer = ByteBuffer(bytes: vector.bytes)
        do {
            guard let frame = try Frame.read(from: &buffer) else {
                // An incomplete frame at the end of the stream is truncated.
                #expect(expected == "truncated", "\(vector.name): stream ended early, expected \(expected)")
                return
            }
            guard case .batch(let batch) = frame else {
                Issue.record("\(vector.name) decoded as \(frame.type), expected \(expected)")
                return
            }
            _ = try BatchDecoder().decode(batch)
            Issue.record("\(vector.name) decoded, expected \(expected)")
        } catch {
            #expect(error.kind == expected, "\(vector.name): \(error)")
            #expect(!error.description.isEmpty)
        }
    }
}

extension HexVector: CustomTestStringConvertible {
    public var testDescription: String { name }
}
