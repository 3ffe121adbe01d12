import Testing
import TributarySyslog

@Suite struct SyslogFramerTests {
    static func frames(_ chunks: [[UInt8]], max: Int = 1024) throws -> [SyslogFrame] {
        var framer = SyslogFramer(maxMessageBytes: max)
        var frames: [SyslogFrame] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = try framer.next() { frames.append(frame) }
        }
        if let last = try framer.finish() { frames.append(last) }
        return frames
    }

    static func texts(_ frames: [SyslogFrame]) -> [String] { frames.map { String(decoding: $0.bytes, as: UTF8.self) } }

    @Test func newlinesCarriageReturnsAndNulsEndMessages() throws {
        let stream = Array("<13>one\r\n<13>two\n<14>three\u{0}<15>four".utf8)
        #expect(Self.texts(try Self.frames([stream])) == ["<13>one", "<13>two", "<14>three", "<15>four"])
        // Byte at a time: the same messages.
        #expect(Self.texts(try Self.frames(stream.map { [$0] })) == ["<13>one", "<13>two", "<14>three", "<15>four"])
    }

    @Test func octetCountingIsDetectedFromTheFirstByte() throws {
        let stream = Array("11 <13>1 - a b12 <13>hello\nyo".utf8)
        var framer = SyslogFramer()
        framer.append(Array(stream.prefix(1)))
        #expect(framer.framing == .octetCounting)
        let frames = try Self.frames(stream.map { [$0] })
        #expect(Self.texts(frames) == ["<13>1 - a b", "<13>hello\nyo"])
    }

    @Test func oversizedMessagesArriveInFlaggedPieces() throws {
        let long = [UInt8](repeating: 0x41, count: 2500)
        let lines = try Self.frames([long + [0x0A] + Array("<13>after\n".utf8)], max: 1000)
        #expect(lines.map(\.bytes.count) == [1000, 1000, 500, 9])
        #expect(lines.map(\.continued) == [true, true, false, false])
        let counted = try Self.frames([Array("2500 ".utf8) + long + Array("4 <1>x".utf8)], max: 1000)
        #expect(counted.map(\.bytes.count) == [1000, 1000, 500, 4])
        #expect(counted.map(\.continued) == [true, true, false, false])
    }

    @Test func badLengthsAndTruncationAreErrors() {
        #expect(throws: SyslogFramingError.self) { try Self.frames([Array("12x <13>a".utf8)]) }
        #expect(throws: SyslogFramingError.truncated(missing: 5)) { try Self.frames([Array("10 <13>a".utf8)]) }
        #expect(throws: SyslogFramingError.self) { try Self.frames([Array("99999999999 x".utf8)]) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var framer = SyslogFramer(maxMessageBytes: 64)
            for _ in 0..<4 {
                let chunk = (0..<Int.random(in: 0...50, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                framer.append(chunk)
                while let frame = try? framer.next() { #expect(frame.bytes.count <= 64) }
            }
            _ = try? framer.finish()
        }
    }
}
