import Testing
import TributarySyslog

/// Random and truncated input. Syslog listens to the whole network, so
/// nothing may trap, every range must stay inside the input, and framing
/// must not depend on how TCP happens to split the stream. Seeds are fixed
/// so any failure can be replayed.
@Suite("Fuzzing")
struct SyslogFuzzTests {
    typealias T = SyslogTestSupport

    static let samples = [
        "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{FEFF}'su root' failed for lonvick on /dev/pts/8",
        "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
        #"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appli\"cation\]" eventID="1011"][examplePriority@32473 class="high"] msg"#,
        #"<13>1 2026-11-22T10:00:00.123456+00:00 host user - - [timeQuality tzKnown="1" isSynced="0"] msg"#,
        "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8",
        "<13>Oct  5 22:14:15 su: 'su root' failed",
        "<13>2026-11-22T10:00:00.123+01:00 host app[12]: msg",
        "<189>123: *Mar  1 00:00:11.123: %SYS-5-CONFIG_I: Configured from console",
        "<187>45: router1: .Mar  1 2025 00:00:11 UTC: %LINK-3-UPDOWN: Interface down",
        "<14>myapp: hello\u{0}",
        "<38>2026-11-22T10:00:00 localhost prg00000[1234]: seq: 0000000000, thread: 0000, runid: 1, stamp: x PADD",
        "<13>Oct 11 22:14:15 host just text\r\n",
    ]

    /// Invariants every parse result must satisfy.
    static func check(_ bytes: [UInt8], offset: Int = 0, received: Int64 = T.received) {
        let message = SyslogParser.parse(bytes, receivedAt: received, rfc3164TimeZoneOffsetSeconds: offset)
        #expect(message.messageRange.lowerBound >= 0)
        #expect(message.messageRange.upperBound <= bytes.count)
        if let facility = message.facility { #expect(facility <= 23) }
        if let severity = message.severity { #expect(severity <= 7) }
        #expect((message.facility == nil) == (message.severity == nil))
        if message.format == .raw {
            #expect(message.messageRange.lowerBound == 0)
            #expect(message.timestamp == nil && message.hostname == nil && message.appName == nil)
            #expect(message.procID == nil && message.msgID == nil && message.structuredData.isEmpty)
        } else {
            #expect(message.facility != nil)
        }
        if message.format != .rfc5424 {
            #expect(message.msgID == nil && message.structuredData.isEmpty)
        }
        // MSG never ends in CR, LF or NUL.
        if let last = message.messageRange.last {
            #expect(bytes[last] != 0x0A && bytes[last] != 0x0D && bytes[last] != 0x00)
        }
    }

    @Test func everyPrefixOfValidMessages() {
        for sample in Self.samples {
            let bytes = Array(sample.utf8)
            for end in 0...bytes.count {
                Self.check(Array(bytes[0..<end]))
            }
        }
    }

    @Test func randomBytes() {
        var random = SeededRandom(seed: 1)
        let prefixes: [[UInt8]] = [[], Array("<13>".utf8), Array("<13>1 ".utf8), Array("<189>123: *".utf8),
                                   Array("<13>1 2026-11-22T10:00:00Z h a p m [".utf8), Array("<13>Oct 11 ".utf8)]
        for _ in 0..<5000 {
            let prefix = prefixes[random.int(0...prefixes.count - 1)]
            Self.check(prefix + random.bytes(random.int(0...200)))
        }
    }

    @Test func randomlyMutatedValidMessages() {
        var random = SeededRandom(seed: 2)
        // Bytes that matter to the grammars, so mutations hit interesting paths.
        let alphabet = Array("<>0123456789 -:.[]=\"\\TZ+*\r\n\u{0}".utf8) + [0xEF, 0xBB, 0xBF, 0xFF, 0xC3]
        for _ in 0..<5000 {
            var bytes = Array(Self.samples[random.int(0...Self.samples.count - 1)].utf8)
            for _ in 0...random.int(0...4) where !bytes.isEmpty {
                let index = random.int(0...bytes.count - 1)
                switch random.int(0...3) {
                case 0: bytes[index] = alphabet[random.int(0...alphabet.count - 1)]
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(alphabet[random.int(0...alphabet.count - 1)], at: index)
                default: bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
            }
            Self.check(bytes, offset: random.int(-50_400...50_400),
                       received: Int64(random.int(-4_000_000_000...9_000_000_000)) * 1_000_000_000)
        }
    }

    @Test func framerSurvivesRandomStreams() {
        var random = SeededRandom(seed: 3)
        for round in 0..<3000 {
            let max = random.int(1...64)
            var framer = SyslogFramer(maxMessageBytes: max)
            // Half the streams start with a digit, to exercise octet counting.
            var first = true
            var failed = false
            for _ in 0..<random.int(1...6) {
                var chunk = random.bytes(random.int(0...80))
                if first, !chunk.isEmpty, round % 2 == 0 { chunk[0] = UInt8(0x31 + random.int(0...8)) }
                if !chunk.isEmpty { first = false }
                framer.append(chunk)
                do {
                    while let frame = try framer.next() {
                        #expect(frame.bytes.count <= max)
                    }
                    #expect(framer.bufferedByteCount <= max + 10)
                } catch {
                    failed = true
                }
            }
            do {
                while let frame = try framer.finish() { #expect(frame.bytes.count <= max) }
                #expect(!failed)
            } catch {
                #expect(framer.framing == .octetCounting)
            }
        }
    }

    @Test func framingDoesNotDependOnHowTheStreamIsSplit() throws {
        var random = SeededRandom(seed: 4)
        for _ in 0..<300 {
            let max = random.int(8...300)
            var messages: [[UInt8]] = []
            for _ in 0..<random.int(1...12) {
                let sample = Array(Self.samples[random.int(0...Self.samples.count - 1)].utf8)
                messages.append(sample.filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x00 })
            }
            // The expected pieces of each message under this limit.
            var expected: [SyslogFrame] = []
            for message in messages {
                var start = 0
                repeat {
                    let end = min(message.count, start + max)
                    expected.append(SyslogFrame(bytes: Array(message[start..<end]), continued: end < message.count))
                    start = end
                } while start < message.count
            }
            var countedStream: [UInt8] = []
            var lineStream: [UInt8] = []
            for message in messages {
                countedStream += Array("\(message.count) ".utf8) + message
                lineStream += message + (random.int(0...1) == 0 ? [0x0A] : [0x0D, 0x0A])
            }
            for stream in [countedStream, lineStream] {
                var chunks: [[UInt8]] = []
                var index = 0
                while index < stream.count {
                    let size = random.int(1...40)
                    chunks.append(Array(stream[index..<min(stream.count, index + size)]))
                    index += size
                }
                #expect(try T.frames(chunks, max: max) == expected)
            }
        }
    }
}
