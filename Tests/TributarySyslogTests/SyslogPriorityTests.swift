import Testing
import TributarySyslog

@Suite("PRI and raw input")
struct SyslogPriorityTests {
    typealias T = SyslogTestSupport

    @Test(arguments: [
        ("<0>", UInt8(0), UInt8(0)),
        ("<7>", 0, 7),
        ("<8>", 1, 0),
        ("<13>", 1, 5),
        ("<34>", 4, 2),
        ("<165>", 20, 5),
        ("<189>", 23, 5),
        ("<191>", 23, 7),
    ])
    func validPriorities(pri: String, facility: UInt8, severity: UInt8) {
        let (message, text) = T.parse("\(pri)text")
        #expect(message.format == .rfc3164)
        #expect(message.facility == facility)
        #expect(message.severity == severity)
        #expect(text == "text")
    }

    @Test(arguments: [
        "plain text from a printer",
        "<192>too big",
        "<999>too big",
        "<1000>four digits",
        "<01>leading zero",
        "<00>two zeros",
        "<000>three zeros",
        "<>empty",
        "<-1>negative",
        "< 13>space",
        "<13 >space",
        "<13",
        "13>",
        "<",
        "",
        "\u{0}<13>late",
        " <13>indented",
    ])
    func noValidPriorityIsRaw(text: String) {
        let bytes = Array(text.utf8)
        let (message, body) = T.parse(bytes)
        #expect(message == SyslogMessage(format: .raw, messageRange: 0..<bytes.count), "\(text)")
        #expect(body == text)
    }

    @Test func rawExcludesTrailingLineEndsAndNuls() {
        let (message, body) = T.parse("no priority here\r\n\u{0}\n")
        #expect(message.format == .raw)
        #expect(message.messageRange == 0..<16)
        #expect(body == "no priority here")

        let (onlyEnds, _) = T.parse("\r\n\u{0}")
        #expect(onlyEnds == SyslogMessage(format: .raw, messageRange: 0..<0))
    }

    @Test func priorityAloneIsAnEmptyMessage() {
        let (message, text) = T.parse("<13>\n")
        #expect(message.format == .rfc3164)
        #expect(message.severity == 5)
        #expect(message.messageRange == 4..<4)
        #expect(text == "")
    }

    @Test func pointerAndArrayOverloadsAgree() {
        let bytes = Array("<34>Oct 11 22:14:15 mymachine su[230]: text".utf8)
        let fromArray = SyslogParser.parse(bytes, receivedAt: T.received)
        let fromPointer = bytes.withUnsafeBytes { SyslogParser.parse($0, receivedAt: T.received) }
        #expect(fromArray == fromPointer)
    }

    @Test func offsetsAreRelativeToTheBufferPassed() {
        // A message inside a larger buffer, as a connection handler would pass it.
        let stream = Array("xxxx<13>Oct 11 22:14:15 host app: body\nyyyy".utf8)
        let message = stream.withUnsafeBytes { raw in
            SyslogParser.parse(UnsafeRawBufferPointer(rebasing: raw[4..<39]), receivedAt: T.received)
        }
        #expect(message.appName == "app")
        #expect(message.messageRange == 30..<34)
    }
}
