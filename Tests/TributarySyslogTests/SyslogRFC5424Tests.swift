import Testing
import TributarySyslog

@Suite("RFC 5424")
struct SyslogRFC5424Tests {
    typealias T = SyslogTestSupport

    // MARK: The examples of RFC 5424 section 6.5

    @Test func example1WithoutStructuredDataAndWithBOM() {
        let (message, text) = T.parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{FEFF}'su root' failed for lonvick on /dev/pts/8")
        #expect(message.format == .rfc5424)
        #expect(message.facility == 4)
        #expect(message.severity == 2)
        #expect(message.timestamp == 1_065_910_455_003_000_000)
        #expect(message.hostname == "mymachine.example.com")
        #expect(message.appName == "su")
        #expect(message.procID == nil)
        #expect(message.msgID == "ID47")
        #expect(message.structuredData.isEmpty)
        #expect(text == "'su root' failed for lonvick on /dev/pts/8")
    }

    @Test func example2WithMicrosecondsAndNegativeOffset() {
        let (message, text) = T.parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.")
        #expect(message.format == .rfc5424)
        #expect(message.facility == 20)
        #expect(message.severity == 5)
        // 2003-08-24T12:14:15.000003Z
        #expect(message.timestamp == 1_061_727_255_000_003_000)
        #expect(message.hostname == "192.0.2.1")
        #expect(message.appName == "myproc")
        #expect(message.procID == "8710")
        #expect(message.msgID == nil)
        #expect(message.structuredData.isEmpty)
        #expect(text == "%% It's time to make the do-nuts.")
    }

    @Test func example3WithStructuredDataAndMessage() {
        let line = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] \u{FEFF}An application event log entry..."
        let (message, text) = T.parse(line)
        #expect(message.format == .rfc5424)
        #expect(message.timestamp == 1_065_910_455_003_000_000)
        #expect(message.hostname == "mymachine.example.com")
        #expect(message.appName == "evntslog")
        #expect(message.procID == nil)
        #expect(message.msgID == "ID47")
        #expect(message.structuredData == [
            SyslogStructuredElement(id: "exampleSDID@32473", parameters: [
                SyslogParameter(name: "iut", value: "3"),
                SyslogParameter(name: "eventSource", value: "Application"),
                SyslogParameter(name: "eventID", value: "1011"),
            ]),
        ])
        #expect(text == "An application event log entry...")
    }

    @Test func example4WithTwoElementsAndNoMessage() {
        let line = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]"
        let bytes = Array(line.utf8)
        let (message, text) = T.parse(bytes)
        #expect(message.format == .rfc5424)
        #expect(message.structuredData.map(\.id) == ["exampleSDID@32473", "examplePriority@32473"])
        #expect(message.structuredData[1].parameters == [SyslogParameter(name: "class", value: "high")])
        #expect(text == "")
        #expect(message.messageRange == bytes.count..<bytes.count)
    }

    // MARK: Senders

    @Test func utilLinuxLoggerDefault() {
        let (message, text) = T.parse("<13>1 2026-11-22T10:00:00.123456+00:00 host user - - [timeQuality tzKnown=\"1\" isSynced=\"0\"] msg\n")
        #expect(message.format == .rfc5424)
        #expect(message.facility == 1)
        #expect(message.severity == 5)
        #expect(message.timestamp == T.received + 123_456_000)
        #expect(message.hostname == "host")
        #expect(message.appName == "user")
        #expect(message.procID == nil)
        #expect(message.msgID == nil)
        #expect(message.structuredData == [
            SyslogStructuredElement(id: "timeQuality", parameters: [
                SyslogParameter(name: "tzKnown", value: "1"),
                SyslogParameter(name: "isSynced", value: "0"),
            ]),
        ])
        #expect(text == "msg")
    }

    @Test func loggenSyslogProto() {
        let (message, text) = T.parse("<38>1 2026-11-22T11:00:00+01:00 localhost prg00000 1234 - - \u{FEFF}seq: 0000000000, thread: 0000, runid: 1795341600, stamp: 2026-11-22T11:00:00 PADDPADDPADD")
        #expect(message.format == .rfc5424)
        #expect(message.facility == 4)
        #expect(message.severity == 6)
        #expect(message.timestamp == T.received)
        #expect(message.hostname == "localhost")
        #expect(message.appName == "prg00000")
        #expect(message.procID == "1234")
        #expect(text == "seq: 0000000000, thread: 0000, runid: 1795341600, stamp: 2026-11-22T11:00:00 PADDPADDPADD")
    }

    // MARK: Fields

    @Test func everyNilValue() {
        let bytes = Array("<0>1 - - - - - -".utf8)
        let (message, text) = T.parse(bytes)
        #expect(message == SyslogMessage(format: .rfc5424, facility: 0, severity: 0, messageRange: bytes.count..<bytes.count))
        #expect(text == "")
    }

    @Test func nilValuesWithMessage() {
        let (message, text) = T.parse("<14>1 - - - - - - just the message\r\n\u{0}")
        #expect(message.format == .rfc5424)
        #expect(message.timestamp == nil)
        #expect(message.hostname == nil)
        #expect(message.appName == nil)
        #expect(message.procID == nil)
        #expect(message.msgID == nil)
        #expect(text == "just the message")
    }

    @Test func structuredDataEscapes() {
        let line = #"<13>1 - h a - - [x@1 quote="say \"hi\"" slash="C:\\temp" bracket="[a\]" other="keep \n and \x" empty="" bare="a]b"] m"#
        let (message, text) = T.parse(line)
        #expect(message.format == .rfc5424)
        #expect(message.structuredData.count == 1)
        #expect(message.structuredData.first?.parameters == [
            SyslogParameter(name: "quote", value: #"say "hi""#),
            SyslogParameter(name: "slash", value: #"C:\temp"#),
            SyslogParameter(name: "bracket", value: "[a]"),
            SyslogParameter(name: "other", value: #"keep \n and \x"#),
            SyslogParameter(name: "empty", value: ""),
            SyslogParameter(name: "bare", value: "a]b"),
        ])
        #expect(text == "m")
    }

    @Test func structuredDataWithUTF8AndRepeatedNames() {
        let (message, _) = T.parse("<13>1 - h a - - [ü@1 name=\"ünïcødé ✓\" name=\"second\"][empty] m")
        #expect(message.structuredData == [
            SyslogStructuredElement(id: "ü@1", parameters: [
                SyslogParameter(name: "name", value: "ünïcødé ✓"),
                SyslogParameter(name: "name", value: "second"),
            ]),
            SyslogStructuredElement(id: "empty", parameters: []),
        ])
    }

    @Test func messageRightAfterStructuredDataWithoutSpace() {
        let (message, text) = T.parse("<13>1 - h a - - [x a=\"1\"]text")
        #expect(message.format == .rfc5424)
        #expect(text == "text")
    }

    @Test func invalidUTF8InFieldsIsRepaired() {
        let bytes: [UInt8] = Array("<13>1 - ho".utf8) + [0xFF] + Array("st app - - - body ".utf8) + [0xC3]
        let (message, _) = T.parse(bytes)
        #expect(message.format == .rfc5424)
        #expect(message.hostname == "ho\u{FFFD}st")
        #expect(message.messageRange == 24..<bytes.count)
    }

    @Test func severalSpacesBetweenHeaderFields() {
        let (message, text) = T.parse("<13>1 2026-11-22T10:00:00Z  host  app  -  -  - text")
        #expect(message.format == .rfc5424)
        #expect(message.timestamp == T.received)
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(text == "text")
    }

    // MARK: Timestamps

    @Test(arguments: [
        ("2003-10-11T22:14:15.003Z", Int64(1_065_910_455_003_000_000)),
        ("2003-08-24T05:14:15.000003-07:00", 1_061_727_255_000_003_000),
        ("1985-04-12T23:20:50.52Z", 482_196_050_520_000_000),
        ("1996-12-19T16:39:57-08:00", 851_042_397_000_000_000),
        ("2026-11-22T10:00:00Z", 1_795_341_600_000_000_000),
        ("2026-11-22t10:00:00z", 1_795_341_600_000_000_000),
        ("2026-11-22T10:00:00.1Z", 1_795_341_600_100_000_000),
        ("2026-11-22T10:00:00.123456789Z", 1_795_341_600_123_456_789),
        ("2026-11-22T10:00:00.1234567891234Z", 1_795_341_600_123_456_789),
        ("2026-11-22T10:00:00+05:30", 1_795_321_800_000_000_000),
        ("2026-11-22T10:00:00+0530", 1_795_321_800_000_000_000),
        ("2026-11-22T10:00:00-00:00", 1_795_341_600_000_000_000),
        ("2026-11-22T10:00:00", 1_795_341_600_000_000_000),
        ("1990-12-31T23:59:60Z", 662_688_000_000_000_000),
        ("1969-07-20T20:17:40Z", -14_182_940_000_000_000),
        ("2028-02-29T12:00:00Z", 1_835_438_400_000_000_000),
        ("1677-09-21T00:12:44Z", -9_223_372_036_000_000_000),
        ("2262-04-11T23:47:16.854775807Z", Int64.max),
    ])
    func timestamps(text: String, expected: Int64) {
        let (message, body) = T.parse("<13>1 \(text) h a - - - x")
        #expect(message.format == .rfc5424)
        #expect(message.timestamp == expected, "\(text)")
        #expect(body == "x")
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z",      // month 13
        "2026-02-29T00:00:00Z",      // not a leap year
        "2026-04-31T00:00:00Z",      // April has 30 days
        "2026-11-22T24:00:00Z",      // hour 24
        "2026-11-22T10:60:00Z",      // minute 60
        "2026-11-22T10:00:61Z",      // second 61
        "2026-11-22T10:00:00+24:00", // offset hour 24
        "2026-11-22T10:00:00+05:60", // offset minute 60
        "2026-11-22T10:00:00Zjunk",  // trailing bytes
        "2026-11-22",                // date only
        "2026-11-22T10:00",          // no seconds
        "1677-09-21T00:12:43Z",      // before Int64 nanoseconds begin
        "2262-04-11T23:47:16.854775808Z", // after Int64 nanoseconds end
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "99999999999999999999",
    ])
    func unreadableTimestampsAreNilButTheHeaderStillParses(text: String) {
        let (message, body) = T.parse("<13>1 \(text) host app 1 id - x")
        #expect(message.format == .rfc5424, "\(text)")
        #expect(message.timestamp == nil, "\(text)")
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(message.procID == "1")
        #expect(message.msgID == "id")
        #expect(body == "x")
    }

    // MARK: Malformed headers fall back to raw

    @Test(arguments: [
        "<13>1 ",
        "<13>1 -",
        "<13>1 - host",
        "<13>1 - host app",
        "<13>1 - host app proc",
        "<13>1 - host app proc id",
        "<13>1 - host app proc id ",
        "<13>1 not-a-time host app - - - msg",
        "<13>1 - host app - - x msg",
        "<13>1 - host app - - -msg",
        "<13>1 - host app - - [unterminated",
        "<13>1 - host app - - [id a=\"unterminated]",
        "<13>1 - host app - - [id a=unquoted] msg",
        "<13>1 - host app - - [id a] msg",
        "<13>1 - host app - - [ a=\"1\"] msg",
        "<13>1 - host app - - [id a=\"1\"b=\"2\"] msg",
        "<13>1 - host app - - [id a=\"ends with backslash\\",
        "<13>1 - host app - - [] msg",
    ])
    func malformedHeaderIsRawWithPriority(line: String) {
        let bytes = Array(line.utf8)
        let (message, text) = T.parse(bytes)
        #expect(message.format == .raw, "\(line)")
        #expect(message.facility == 1)
        #expect(message.severity == 5)
        #expect(message.timestamp == nil)
        #expect(message.hostname == nil)
        #expect(message.appName == nil)
        #expect(message.structuredData.isEmpty)
        #expect(message.messageRange == 0..<bytes.count)
        #expect(text == line)
    }

    @Test func rawFallbackExcludesTrailingNewline() {
        let (message, text) = T.parse("<13>1 broken\r\n")
        #expect(message.format == .raw)
        #expect(text == "<13>1 broken")
    }
}
