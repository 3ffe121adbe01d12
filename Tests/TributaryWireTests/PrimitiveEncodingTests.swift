import NIOCore
import Testing
import TributaryTestSupport
@testable import TributaryWire

@Suite struct PrimitiveEncodingTests {
    @Test func crc32cMatchesTheCastagnoliCheckValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 B.4: 32 bytes of zeros, of 0xFF, ascending.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func hardwareAndSoftwareCRC32CAgree() {
        var generator = SeededGenerator(seed: 5)
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.withUnsafeBytes { raw in
                #expect(CRC32C.update(0x1234_5678, raw) == CRC32C.softwareUpdate(0x1234_5678, raw), "length \(length)")
            }
        }
    }

    @Test func crc32cIsIncremental() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let both = bytes[split...].withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(both == whole, "split at \(split)")
        }
    }

    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max - 1, UInt64.max])
    func varintsRoundTripMinimally(value: UInt64) throws {
        var buffer = ByteBuffer()
        let written = buffer.writeVarint(value)
        let expectedLength = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
        #expect(written == expectedLength)
        let (decoded, remaining) = try buffer.withUnsafeReadableBytes { bytes throws(WireError) -> (UInt64, Int) in
            var reader = WireReader(bytes)
            return (try reader.readVarint("v"), reader.remaining)
        }
        #expect(decoded == value)
        #expect(remaining == 0)
    }

    @Test(arguments: [Int64(0), -1, 1, -2, Int64.min, Int64.max, 1_700_000_000_000_000_000])
    func zigzagRoundTrips(value: Int64) throws {
        var buffer = ByteBuffer()
        buffer.writeSVarint(value)
        let decoded = try buffer.withUnsafeReadableBytes { bytes throws(WireError) -> Int64 in
            var reader = WireReader(bytes)
            return try reader.readSVarint("v")
        }
        #expect(decoded == value)
    }

    @Test func zigzagMapsSmallMagnitudesToSmallCodes() {
        for (value, code) in [(Int64(0), UInt8(0)), (-1, 1), (1, 2), (-2, 3)] {
            var buffer = ByteBuffer()
            buffer.writeSVarint(value)
            #expect(Array(buffer.readableBytesView) == [code])
        }
    }

    static func readVarint(_ bytes: [UInt8]) throws -> UInt64 {
        try bytes.withUnsafeBytes { raw throws(WireError) -> UInt64 in
            var reader = WireReader(raw)
            return try reader.readVarint("test.field")
        }
    }

    @Test func anElevenByteVarintOverflows() {
        #expect(throws: WireError.varintOverflow(field: "test.field")) {
            try Self.readVarint([UInt8](repeating: 0xFF, count: 10) + [0x01])
        }
        #expect(throws: WireError.varintOverflow(field: "test.field")) {
            try Self.readVarint([UInt8](repeating: 0xFF, count: 9) + [0x02])
        }
    }

    @Test func aNonMinimalVarintIsRefused() {
        #expect(throws: WireError.nonMinimalVarint(field: "test.field")) { try Self.readVarint([0x80, 0x00]) }
        #expect(throws: WireError.nonMinimalVarint(field: "test.field")) { try Self.readVarint([0x81, 0x80, 0x00]) }
    }

    @Test func aTruncatedVarintSaysSo() {
        #expect(throws: WireError.truncated(field: "test.field", needed: 3, available: 2)) { try Self.readVarint([0x80, 0x80]) }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let bytes = [UInt8(bad.count)] + bad
            #expect(throws: WireError.invalidUTF8(field: "s")) {
                try bytes.withUnsafeBytes { raw in
                    var reader = WireReader(raw)
                    _ = try reader.readString("s", limit: 100)
                }
            }
        }
    }

    @Test func aCountThePayloadCannotHoldIsRefusedBeforeAllocating() {
        #expect(throws: WireError.self) {
            try [0x80, 0x80, 0x04, 0x00].withUnsafeBytes { raw in
                var reader = WireReader(raw)
                _ = try reader.readCount("items", limit: 1_000_000)
            }
        }
    }
}
