import NIOCore
import Testing
import TributaryCompression
@testable import TributaryStorage
import TributaryTestSupport

/// The number streams of mode-3 sections: every coding gives back every
/// number, the writer picks a coding that fits the numbers, and a damaged
/// stream throws.
@Suite struct NumberStreamCodingTests {
    static let streams: [[UInt64]] = {
        var generator = SeededGenerator(seed: 0x5EED)
        return [
            [0],
            [UInt64.max, 0, UInt64.max, 1],  // differences that wrap
            (0..<500).map { 1_117_838_570 + UInt64($0) * 97 },  // a clock
            (0..<500).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) },  // block ids
            (0..<500).map { _ in UInt64.random(in: 0...255, using: &generator) },  // address octets
            (0..<300).map { UInt64($0 % 3) },
        ]
    }()

    @Test func everyCodingReadsBackEveryNumber() throws {
        for numbers in Self.streams {
            let width = NumberStreamCoding.width(of: numbers)
            for coding in NumberStreamCoding.allCases {
                var bytes = ByteBuffer()
                coding.encode(numbers, width: width, into: &bytes)
                var reader = try NumberStreamReader(coding: coding, width: width, bytes: bytes)
                let back = try numbers.map { _ in try reader.next() }
                #expect(back == numbers, "\(coding) of \(numbers.count) numbers")
                #expect(reader.isExhausted)
                #expect(throws: TemplatedTextError.self) { try reader.next() }
            }
        }
    }

    /// Random 64-bit ids are kept in fixed widths (a varint spends a bit of
    /// every byte on continuation), a clock as differences.
    @Test func theWriterPicksCodingsThatFitTheNumbers() {
        var scratch = ByteBuffer()
        for trial in [nil, Deflater(level: .smallest, format: .raw)] {
            #expect(NumberStreamCoding.best(for: Self.streams[2], scratch: &scratch, trial: trial).coding == .differences)
            let ids = NumberStreamCoding.best(for: Self.streams[3], scratch: &scratch, trial: trial).coding
            #expect(ids == .fixedWidth || ids == .bytePlanes, "\(ids)")
        }
    }

    @Test func malformedStreamsThrow() {
        #expect(throws: TemplatedTextError.self) { try NumberStreamReader(coding: .fixedWidth, width: 0, bytes: ByteBuffer()) }
        #expect(throws: TemplatedTextError.self) { try NumberStreamReader(coding: .bytePlanes, width: 9, bytes: ByteBuffer(bytes: [1])) }
        #expect(throws: TemplatedTextError.self) { try NumberStreamReader(coding: .fixedWidth, width: 2, bytes: ByteBuffer(bytes: [1, 2, 3])) }
        #expect(throws: TemplatedTextError.self) {
            var reader = try NumberStreamReader(coding: .varints, width: 0, bytes: ByteBuffer(bytes: [0x80]))
            _ = try reader.next()
        }
    }
}
