import NIOCore
import Testing
import TributaryModel

@Suite struct UTF8TruncationTests {
    @Test func aCutInsideACharacterDropsTheWholeCharacter() {
        let host = String(repeating: "é", count: 3000)  // 2 bytes each
        #expect(host.truncatedUTF8(toBytes: 255) == String(repeating: "é", count: 127))
        #expect(host.truncatedUTF8(toBytes: 256) == String(repeating: "é", count: 128))
        let mixed = "ab€d"  // € is 3 bytes: a b [E2 82 AC] d
        #expect(mixed.truncatedUTF8(toBytes: 2) == "ab")
        #expect(mixed.truncatedUTF8(toBytes: 3) == "ab")
        #expect(mixed.truncatedUTF8(toBytes: 4) == "ab")
        #expect(mixed.truncatedUTF8(toBytes: 5) == "ab€")
        #expect("😀😀".truncatedUTF8(toBytes: 7) == "😀")
        #expect("short".truncatedUTF8(toBytes: 100) == "short")
        #expect("x".truncatedUTF8(toBytes: 0) == "")
    }

    @Test func bytesThatAreNotUTF8AreCutAtTheLimit() {
        let garbage = ByteBuffer(bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80])
        #expect(garbage.truncatedUTF8(toBytes: 4).readableBytes == 4)
        let message = ByteBuffer(string: String(repeating: "ü", count: 10))
        let cut = message.truncatedUTF8(toBytes: 9)
        #expect(String(buffer: cut) == String(repeating: "ü", count: 4))
    }

    @Test func rfc3339CoversEveryInt64() {
        #expect(CivilTime.rfc3339(nanoseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(CivilTime.rfc3339(nanoseconds: -1) == "1969-12-31T23:59:59Z")
        #expect(!CivilTime.rfc3339(nanoseconds: .min).isEmpty)
        #expect(!CivilTime.rfc3339(nanoseconds: .max).isEmpty)
    }
}
