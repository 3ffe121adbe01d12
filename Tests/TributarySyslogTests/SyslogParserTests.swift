import Testing
import TributarySyslog

@Suite struct SyslogParserTests {
    /// 2026-11-22T10:00:00Z.
    static let received: Int64 = 1_795_341_600_000_000_000

    static func parse(_ text: String, received: Int64 = received) -> (SyslogMessage, String) {
        let bytes = Array(text.utf8)
        let message = SyslogParser.parse(bytes, receivedAt: received)
        return (message, String(decoding: bytes[message.messageRange], as: UTF8.self))
    }

    @Test func rfc5424FromTheRFC() {
        let (message, text) = Self.parse(#"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts."#)
        #expect(message.format == .rfc5424)
        #expect(message.facility == 20)
        #expect(message.severity == 5)
        #expect(message.hostname == "192.0.2.1")
        #expect(message.appName == "myproc")
        #expect(message.procID == "8710")
        #expect(message.msgID == nil)
        #expect(message.timestamp == 1_061_727_255_000_003_000)
        #expect(text == "%% It's time to make the do-nuts.")
    }

    @Test func rfc5424StructuredDataWithEscapes() {
        let line = #"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appli\"cation\]" eventID="1011"][examplePriority@32473 class="high"] \#u{FEFF}An application event"#
        let (message, text) = Self.parse(line)
        #expect(message.timestamp == 1_065_910_455_003_000_000)
        #expect(message.msgID == "ID47")
        #expect(message.structuredData.count == 2)
        #expect(message.structuredData[0].id == "exampleSDID@32473")
        #expect(message.structuredData[0].parameters[1] == SyslogParameter(name: "eventSource", value: #"Appli"cation]"#))
        #expect(message.structuredData[1].parameters == [SyslogParameter(name: "class", value: "high")])
        #expect(text == "An application event")
    }

    @Test func loggerSends5424WithTimeQuality() {
        let (message, text) = Self.parse(#"<13>1 2026-11-22T10:00:00.123456+00:00 host user - - [timeQuality tzKnown="1" isSynced="0"] hello"#)
        #expect(message.format == .rfc5424)
        #expect(message.appName == "user")
        #expect(message.timestamp == Self.received + 123_456_000)
        #expect(text == "hello")
    }

    @Test func bsdWithHostnameTagAndPid() {
        let (message, text) = Self.parse("<34>Nov 22 09:59:58 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8\n")
        #expect(message.format == .rfc3164)
        #expect(message.facility == 4)
        #expect(message.severity == 2)
        #expect(message.hostname == "mymachine")
        #expect(message.appName == "su")
        #expect(message.procID == "230")
        #expect(message.timestamp == Self.received - 2_000_000_000)
        #expect(text == "'su root' failed for lonvick on /dev/pts/8")
    }

    @Test func bsdWithoutHostnameOrWithoutTag() {
        let (noHost, text) = Self.parse("<13>Nov 22 09:59:58 su: 'su root' failed")
        #expect(noHost.hostname == nil)
        #expect(noHost.appName == "su")
        #expect(text == "'su root' failed")
        let (noTag, free) = Self.parse("<13>Nov  5 09:59:58 host just text")
        #expect(noTag.hostname == nil)
        #expect(noTag.appName == nil)
        #expect(noTag.timestamp != nil)
        #expect(free == "host just text")
    }

    @Test func decemberMessagesReadInJanuaryBelongToLastYear() {
        // Received 2027-01-01T00:00:05Z.
        let january: Int64 = 1_798_761_605_000_000_000
        let (message, _) = Self.parse("<13>Dec 31 23:59:58 host app: late", received: january)
        #expect(message.timestamp == january - 7_000_000_000)
    }

    @Test func pythonSysLogHandlerAndLoggenAndCisco() {
        let (python, pythonText) = Self.parse("<12>pyapp: python udp warning\u{0}")
        #expect(python.format == .rfc3164)
        #expect(python.appName == "pyapp")
        #expect(python.hostname == nil)
        #expect(python.severity == 4)
        #expect(pythonText == "python udp warning")

        let (loggen, loggenText) = Self.parse("<38>2026-11-22T10:00:00 localhost prg00000[1234]: seq: 0000000000, thread: 0000, runid: 1795341600, stamp: 2026-11-22T10:00:00 PADDPADD")
        #expect(loggen.hostname == "localhost")
        #expect(loggen.appName == "prg00000")
        #expect(loggen.procID == "1234")
        #expect(loggen.timestamp == Self.received)
        #expect(loggenText.hasPrefix("seq: 0000000000"))

        let (cisco, ciscoText) = Self.parse("<189>123: *Nov 22 10:00:00.123: %SYS-5-CONFIG_I: Configured from console by vty0")
        #expect(cisco.facility == 23)
        #expect(cisco.timestamp == Self.received + 123_000_000)
        #expect(cisco.appName == "%SYS-5-CONFIG_I")
        #expect(ciscoText == "Configured from console by vty0")
    }

    @Test func anythingElseIsRawAndKept() {
        for text in ["plain text from a printer", "<999>too big", "<01>leading zero", "<", ""] {
            let (message, body) = Self.parse(text)
            #expect(message.format == .raw, "\(text)")
            #expect(body == text)
        }
        let (malformed5424, body) = Self.parse("<13>1 not-a-time host app - - - msg")
        #expect(malformed5424.severity == 5)
        #expect(body.hasSuffix("msg"))
    }

    @Test func garbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let samples = [
            #"<165>1 2003-10-11T22:14:15.003Z host app 1 ID [a b="c\"d"] msg"#,
            "<34>Oct 11 22:14:15 mymachine su[12]: 'su root' failed",
        ]
        for sample in samples {
            let bytes = Array(sample.utf8)
            for end in 0...bytes.count { _ = SyslogParser.parse(Array(bytes[0..<end]), receivedAt: Self.received) }
        }
        for _ in 0..<5000 {
            let length = Int.random(in: 0...120, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes = Array("<13>1 ".utf8) + bytes }
            let message = SyslogParser.parse(bytes, receivedAt: Self.received)
            #expect(message.messageRange.upperBound <= bytes.count)
        }
    }
}
