import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Thousands of randomly damaged frames: each must either throw a WireError
/// or decode to a frame whose batch body (if any) decodes to valid records
/// or throws. Nothing may trap, hang or allocate without bound.
@Suite struct MutationTests {
    static func seeds() throws -> [[UInt8]] {
        var frames = try HexVector.all(in: RepositoryPaths.protocolVectors).map(\.bytes)
        var random = RandomRecords(seed: 99)
        for compressed in [false, true] {
            let batch = try BatchEncoder(compression: compressed ? .fastest : nil)
                .encode(random.records(count: 20), agentID: "m", sequence: 3)
            frames.append(Array(Frame.batch(batch).encoded().readableBytesView))
        }
        return frames
    }

    @Test func mutatedFramesThrowOrDecodeToValidFrames() throws {
        var generator = SeededGenerator(seed: 2026)
        let seeds = try Self.seeds()
        #expect(seeds.count >= 12)
        var outcomes = (decoded: 0, rejected: 0, incomplete: 0)
        for round in 0..<6000 {
            var bytes = seeds[round % seeds.count]
            Self.mutate(&bytes, using: &generator)
            var buffer = ByteBuffer(bytes: bytes)
            // Half the rounds keep the CRC valid so the damage reaches the
            // field decoders instead of stopping at the checksum.
            if round % 2 == 0 { Self.fixChecksum(&buffer) }
            do {
                guard let frame = try Frame.read(from: &buffer) else {
                    outcomes.incomplete += 1
                    continue
                }
                if case .batch(let batch) = frame {
                    let records = try BatchDecoder().decode(batch)
                    #expect(records.count == batch.recordCount)
                    for record in records {
                        #expect(record.labels.allSatisfy { Label.isValidName($0.name) })
                    }
                }
                // Whatever decoded must encode again.
                var again = frame.encoded()
                #expect(try Frame.read(from: &again) == frame)
                outcomes.decoded += 1
            } catch {
                outcomes.rejected += 1
            }
        }
        #expect(outcomes.rejected > 1000, "mutations should mostly be caught: \(outcomes)")
        #expect(outcomes.decoded > 0, "some mutations (in text fields) should still decode: \(outcomes)")
    }

    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:  // flip bits
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            }
        case 1:  // overwrite a byte with an extreme value
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = [0x00, 0x7F, 0x80, 0xFF].randomElement(using: &generator)!
        case 2:  // truncate
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
        case 3:  // insert junk
            let at = Int.random(in: 0...bytes.count, using: &generator)
            bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
        default:  // delete a run
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...8, using: &generator)))
        }
    }

    /// Rewrites the header's length and CRC32C to match the (mutated)
    /// payload, when the header is still there.
    static func fixChecksum(_ buffer: inout ByteBuffer) {
        guard buffer.readableBytes >= FrameHeader.size else { return }
        let payloadLength = buffer.readableBytes - FrameHeader.size
        buffer.setInteger(UInt32(payloadLength), at: 8)
        let crc = buffer.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[FrameHeader.size...])) }
        buffer.setInteger(crc, at: 12)
    }
}
