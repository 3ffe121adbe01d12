import Testing
import TributarySyslog

@Suite("RFC 6587 framing")
struct SyslogFramerTests {
    typealias T = SyslogTestSupport

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: Detection

    @Test func framingIsDetectedFromTheFirstByte() {
        var framer = SyslogFramer()
        #expect(framer.framing == nil)
        framer.append([UInt8]())
        #expect(framer.framing == nil)
        for digit in Array("123456789".utf8) {
            var counted = SyslogFramer()
            counted.append([digit])
            #expect(counted.framing == .octetCounting)
        }
        for first in Array("<0 a\n\r".utf8) + [0x00, 0xFF] {
            var lines = SyslogFramer()
            lines.append([first])
            #expect(lines.framing == .nonTransparent)
        }
        // Only the first byte counts.
        var fixed = SyslogFramer()
        fixed.append(Self.bytes("<13>a\n"))
        fixed.append(Self.bytes("5 <13>b\n"))
        #expect(fixed.framing == .nonTransparent)
    }

    @Test func nothingAppendedMeansNothingToFinish() throws {
        var framer = SyslogFramer()
        #expect(try framer.next() == nil)
        #expect(try framer.finish() == nil)
    }

    // MARK: Non-transparent

    @Test func lineFeedCRLFAndNULEndMessages() throws {
        let stream = Self.bytes("<13>one\r\n<13>two\n<14>three\u{0}<15>four\r\u{0}<16>a\rb\n")
        #expect(T.texts(try T.frames([stream])) == ["<13>one", "<13>two", "<14>three", "<15>four", "<16>a\rb"])
    }

    @Test func byteAtATimeGivesTheSameFrames() throws {
        let stream = Self.bytes("<13>one\r\n<13>two\n<14>three\u{0}<15>four")
        let whole = try T.frames([stream])
        let single = try T.frames(stream.map { [$0] })
        #expect(single == whole)
        #expect(T.texts(single) == ["<13>one", "<13>two", "<14>three", "<15>four"])
        #expect(single.allSatisfy { !$0.continued })
    }

    @Test func severalMessagesInOneAppend() throws {
        var framer = SyslogFramer()
        framer.append(Self.bytes("<13>a\n<13>b\n<13>c\n<13>partial"))
        var texts: [String] = []
        while let frame = try framer.next() { texts.append(String(decoding: frame.bytes, as: UTF8.self)) }
        #expect(texts == ["<13>a", "<13>b", "<13>c"])
        #expect(framer.bufferedByteCount == 11)
        framer.append(Self.bytes(" done\n"))
        #expect(try framer.next() == SyslogFrame(bytes: Self.bytes("<13>partial done"), continued: false))
        #expect(try framer.next() == nil)
    }

    @Test func emptyLinesProduceNoFrames() throws {
        let frames = try T.frames([Self.bytes("\n\r\n<13>a\n\n\u{0}\n<13>b\u{0}\n\r\n")])
        #expect(T.texts(frames) == ["<13>a", "<13>b"])
    }

    @Test func terminatorsAreFoundAtEveryPositionAndAlignment() throws {
        // Bytes next to LF, NUL and the high bit, to catch a wrong word-at-a-time test.
        let tricky: [UInt8] = [0x0B, 0x09, 0x01, 0x8A, 0x80, 0xFF, 0x1A, 0x7F, 0x0C, 0x4A]
        for lead in 1..<9 {
            for length in 1..<40 {
                for terminator: UInt8 in [0x0A, 0x00] {
                    let first = [UInt8](repeating: 0x61, count: lead)
                    let line = (0..<length).map { tricky[($0 + lead) % tricky.count] }
                    let stream = first + [0x0A] + line + [terminator] + line
                    let frames = try T.frames([stream], max: 64)
                    #expect(frames == [SyslogFrame(bytes: first), SyslogFrame(bytes: line), SyslogFrame(bytes: line)],
                            "lead \(lead) length \(length) terminator \(terminator)")
                }
            }
        }
    }

    @Test func unterminatedLastLineIsDeliveredByFinish() throws {
        var framer = SyslogFramer()
        framer.append(Self.bytes("<13>a\n<13>last\r"))
        #expect(try framer.next() == SyslogFrame(bytes: Self.bytes("<13>a")))
        #expect(try framer.next() == nil)
        #expect(try framer.finish() == SyslogFrame(bytes: Self.bytes("<13>last")))
        #expect(try framer.finish() == nil)
    }

    @Test func oversizedLineArrivesInFlaggedPieces() throws {
        let long = [UInt8](repeating: 0x41, count: 2500)
        let frames = try T.frames([long + [0x0A] + Self.bytes("<13>after\n")], max: 1000)
        #expect(frames.map(\.bytes.count) == [1000, 1000, 500, 9])
        #expect(frames.map(\.continued) == [true, true, false, false])
        #expect(frames.dropLast().flatMap(\.bytes) == long)

        // The same, a byte at a time.
        let slow = try T.frames((long + [0x0A]).map { [$0] }, max: 1000)
        #expect(slow.map(\.bytes.count) == [1000, 1000, 500])
        #expect(slow.map(\.continued) == [true, true, false])
    }

    @Test func lineOfExactlyTheLimitIsWhole() throws {
        let exact = [UInt8](repeating: 0x42, count: 1000)
        #expect(try T.frames([exact + [0x0A]], max: 1000) == [SyslogFrame(bytes: exact)])
        #expect(try T.frames([exact + [0x0D, 0x0A]], max: 1000) == [SyslogFrame(bytes: exact)])
        #expect(try T.frames([exact], max: 1000) == [SyslogFrame(bytes: exact)])
        // One byte over: a piece and a one-byte end.
        #expect(try T.frames([exact + [0x43, 0x0A]], max: 1000)
            == [SyslogFrame(bytes: exact, continued: true), SyslogFrame(bytes: [0x43])])
    }

    @Test func crlfRightAfterTheLimit() throws {
        let ten = [UInt8](repeating: 0x42, count: 10)
        // Ten bytes and CRLF fit a limit of ten...
        #expect(try T.frames([ten + [0x0D, 0x0A]], max: 10) == [SyslogFrame(bytes: ten)])
        #expect(try T.frames((ten + [0x0D, 0x0A]).map { [$0] }, max: 10) == [SyslogFrame(bytes: ten)])
        // ...not a limit of nine.
        #expect(try T.frames([ten + [0x0D, 0x0A]], max: 9)
            == [SyslogFrame(bytes: Array(ten.prefix(9)), continued: true), SyslogFrame(bytes: [0x42])])
        // A CR that is not followed by LF is message content.
        #expect(try T.frames([ten + [0x0D, 0x43, 0x0A]], max: 10)
            == [SyslogFrame(bytes: ten, continued: true), SyslogFrame(bytes: [0x0D, 0x43])])
    }

    @Test func oversizedUnterminatedLineAtEndOfStream() throws {
        let long = [UInt8](repeating: 0x41, count: 25)
        let frames = try T.frames([long], max: 10)
        #expect(frames.map(\.bytes.count) == [10, 10, 5])
        #expect(frames.map(\.continued) == [true, true, false])
    }

    @Test func memoryStaysBoundedOnAHugeLine() throws {
        var framer = SyslogFramer(maxMessageBytes: 1000)
        var delivered = 0
        let chunk = [UInt8](repeating: 0x61, count: 4096)
        for _ in 0..<256 {
            framer.append(chunk)
            while let frame = try framer.next() {
                #expect(frame.bytes.count <= 1000)
                delivered += frame.bytes.count
            }
            #expect(framer.bufferedByteCount <= 1000)
        }
        framer.append([0x0A])
        while let frame = try framer.next() { delivered += frame.bytes.count }
        #expect(delivered == 256 * 4096)
    }

    // MARK: Octet counting

    @Test func octetCountedMessages() throws {
        let stream = Self.bytes("11 <13>1 - a b12 <13>hello\nyo3 a\u{0}b")
        #expect(T.texts(try T.frames([stream])) == ["<13>1 - a b", "<13>hello\nyo", "a\u{0}b"])
        // Byte at a time.
        let slow = try T.frames(stream.map { [$0] })
        #expect(T.texts(slow) == ["<13>1 - a b", "<13>hello\nyo", "a\u{0}b"])
        #expect(slow.allSatisfy { !$0.continued })
    }

    @Test func newlinesBetweenCountedFramesAreTolerated() throws {
        let frames = try T.frames([Self.bytes("3 abc\n3 def\r\n\n3 ghi\n")])
        #expect(T.texts(frames) == ["abc", "def", "ghi"])
    }

    @Test func loggenStyleOctetCountedRFC5424() throws {
        let message = "<38>1 2026-11-22T10:00:00+00:00 localhost prg00000 1234 - - seq: 0000000001"
        let stream = Self.bytes("\(message.utf8.count) \(message)\(message.utf8.count) \(message)")
        let frames = try T.frames([stream])
        #expect(T.texts(frames) == [message, message])
        let parsed = frames[0].bytes.withUnsafeBytes { SyslogParser.parse($0, receivedAt: T.received) }
        #expect(parsed.format == .rfc5424)
        #expect(parsed.procID == "1234")
    }

    @Test func oversizedCountedMessageArrivesInFlaggedPieces() throws {
        let long = [UInt8](repeating: 0x41, count: 2500)
        let stream = Self.bytes("2500 ") + long + Self.bytes("4 <1>x")
        let frames = try T.frames([stream], max: 1000)
        #expect(frames.map(\.bytes.count) == [1000, 1000, 500, 4])
        #expect(frames.map(\.continued) == [true, true, false, false])
        #expect(frames.prefix(3).flatMap(\.bytes) == long)
        let slow = try T.frames(stream.map { [$0] }, max: 1000)
        #expect(slow == frames)
    }

    @Test(arguments: [
        ("12x <13>a", "12x <13>a"),
        ("3 abc05 hello", "05 hello"),
        ("12345678901 x", "12345678901 x"),
        ("99999999999", "99999999999"),
        ("1\r2 ab", "1\r2 ab"),
        ("3 abc<13>next", "<13>next"),
        ("3 abc 3 def", " 3 def"),
        ("3 abcd3 efg", "d3 efg"),
        ("3 abc0 ", "0 "),
        ("3 abc12345678901234567890 x", "1234567890123456"),
    ])
    func badLengthsThrow(stream: String, reported: String) {
        #expect(throws: SyslogFramingError.badLength(reported)) {
            _ = try T.frames([Self.bytes(stream)])
        }
    }

    @Test func badLengthIsDetectedWithoutWaitingForMoreBytes() throws {
        var framer = SyslogFramer()
        framer.append(Self.bytes("5 hello"))
        #expect(try framer.next() == SyslogFrame(bytes: Self.bytes("hello")))
        framer.append(Self.bytes("x"))
        #expect(throws: SyslogFramingError.badLength("x")) { try framer.next() }
        // Eleven digits are already too many, space or not.
        var long = SyslogFramer()
        long.append(Self.bytes("12345678901"))
        #expect(throws: SyslogFramingError.badLength("12345678901")) { try long.next() }
        // Ten digits are allowed (the message is then awaited in pieces).
        var ten = SyslogFramer(maxMessageBytes: 4)
        ten.append(Self.bytes("1234567890 abcdefgh"))
        #expect(try ten.next() == SyslogFrame(bytes: Self.bytes("abcd"), continued: true))
        #expect(try ten.next() == SyslogFrame(bytes: Self.bytes("efgh"), continued: true))
        #expect(try ten.next() == nil)
    }

    @Test func framingErrorsAreSticky() {
        var framer = SyslogFramer()
        framer.append(Self.bytes("1x"))
        #expect(throws: SyslogFramingError.badLength("1x")) { try framer.next() }
        framer.append(Self.bytes("5 hello"))
        #expect(framer.bufferedByteCount == 0)
        #expect(throws: SyslogFramingError.badLength("1x")) { try framer.next() }
        #expect(throws: SyslogFramingError.badLength("1x")) { try framer.finish() }
    }

    @Test func finishReportsTruncatedCountedFrames() throws {
        #expect(throws: SyslogFramingError.truncated(missing: 5)) { try T.frames([Self.bytes("10 <13>a")]) }
        // Inside a split message: what is missing counts from the undelivered rest.
        #expect(throws: SyslogFramingError.truncated(missing: 3)) {
            try T.frames([Self.bytes("10 abcdefg")], max: 3)
        }
        // Inside the length: at least the space and that many bytes are missing.
        #expect(throws: SyslogFramingError.truncated(missing: 13)) { try T.frames([Self.bytes("3 abc12")]) }
        // Complete frames, and trailing newlines, end cleanly.
        #expect(T.texts(try T.frames([Self.bytes("3 abc\n")])) == ["abc"])
    }

    @Test func finishDeliversCompleteFramesNotYetRead() throws {
        var framer = SyslogFramer()
        framer.append(Self.bytes("1 a1 b"))
        #expect(try framer.finish() == SyslogFrame(bytes: Self.bytes("a")))
        #expect(try framer.finish() == SyslogFrame(bytes: Self.bytes("b")))
        #expect(try framer.finish() == nil)
    }

    @Test func errorsDescribeThemselves() {
        #expect(SyslogFramingError.badLength("12x").description.contains("\"12x\""))
        #expect(SyslogFramingError.truncated(missing: 7).description.contains("7 bytes"))
    }

    @Test func tinyLimitIsClampedToOneByte() throws {
        var framer = SyslogFramer(maxMessageBytes: 0)
        #expect(framer.maxMessageBytes == 1)
        framer.append(Self.bytes("ab\n"))
        #expect(try framer.next() == SyslogFrame(bytes: Self.bytes("a"), continued: true))
        #expect(try framer.next() == SyslogFrame(bytes: Self.bytes("b")))
    }
}
