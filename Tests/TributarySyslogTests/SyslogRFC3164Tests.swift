import Testing
import TributarySyslog

@Suite("RFC 3164 and its variants")
struct SyslogRFC3164Tests {
    typealias T = SyslogTestSupport

    /// 2026-10-11T22:14:15Z
    static let october11: Int64 = 1_791_756_855_000_000_000

    // MARK: The RFC form

    @Test func hostnameTagAndPid() {
        let (message, text) = T.parse("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8\n")
        #expect(message == SyslogMessage(format: .rfc3164, facility: 4, severity: 2, timestamp: Self.october11,
                                         hostname: "mymachine", appName: "su", procID: "230",
                                         messageRange: message.messageRange))
        #expect(text == "'su root' failed for lonvick on /dev/pts/8")
    }

    @Test func tagWithoutPid() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 host app: msg")
        #expect(message.format == .rfc3164)
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(message.procID == nil)
        #expect(text == "msg")
    }

    @Test func noHostname() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 su: 'su root' failed")
        #expect(message.format == .rfc3164)
        #expect(message.facility == 1)
        #expect(message.severity == 5)
        #expect(message.timestamp == Self.october11)
        #expect(message.hostname == nil)
        #expect(message.appName == "su")
        #expect(message.procID == nil)
        #expect(text == "'su root' failed")
    }

    @Test func noTagMeansNoHostnameGuess() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 host just text")
        #expect(message.format == .rfc3164)
        #expect(message.timestamp == Self.october11)
        #expect(message.hostname == nil)
        #expect(message.appName == nil)
        #expect(message.procID == nil)
        #expect(text == "host just text")

        // The RFC's own example of a message without TAG.
        let (bfg, bfgText) = T.parse("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!")
        #expect(bfg.hostname == nil)
        #expect(bfg.appName == nil)
        #expect(bfgText == "10.0.0.99 Use the BFG!")
    }

    @Test func bracketsWithoutColonAreNotATag() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 host app[12] text")
        #expect(message.hostname == nil)
        #expect(message.appName == nil)
        #expect(text == "host app[12] text")
    }

    @Test func emptyPidIsNil() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 host app[]: text")
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(message.procID == nil)
        #expect(text == "text")
    }

    @Test func tagOnlyWithEmptyMessage() {
        let (message, text) = T.parse("<13>Oct 11 22:14:15 host app:")
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(text == "")
    }

    @Test func timestampOnly() {
        let bytes = Array("<13>Oct 11 22:14:15".utf8)
        let (message, text) = T.parse(bytes)
        #expect(message.format == .rfc3164)
        #expect(message.timestamp == Self.october11)
        #expect(message.messageRange == bytes.count..<bytes.count)
        #expect(text == "")
    }

    @Test(arguments: ["Oct  5", "Oct 5", "Oct 05", "oct  5", "OCT  5"])
    func dayPadding(date: String) {
        let (message, text) = T.parse("<13>\(date) 22:14:15 host app: x")
        #expect(message.timestamp == 1_791_238_455_000_000_000, "\(date)")  // 2026-10-05T22:14:15Z
        #expect(message.hostname == "host")
        #expect(text == "x")
    }

    @Test func impossibleDateIsNilButTheHeaderStillParses() {
        let (message, text) = T.parse("<13>Oct 32 22:14:15 host app: x")
        #expect(message.format == .rfc3164)
        #expect(message.timestamp == nil)
        #expect(message.hostname == "host")
        #expect(message.appName == "app")
        #expect(text == "x")
    }

    // MARK: Senders

    @Test func pythonSysLogHandler() {
        let (message, text) = T.parse("<14>myapp: hello\u{0}")
        #expect(message == SyslogMessage(format: .rfc3164, facility: 1, severity: 6, appName: "myapp",
                                         messageRange: message.messageRange))
        #expect(text == "hello")
    }

    @Test func pythonWithoutTagKeepsAllText() {
        let (message, text) = T.parse("<14>hello world\u{0}")
        #expect(message.format == .rfc3164)
        #expect(message.appName == nil)
        #expect(message.timestamp == nil)
        #expect(text == "hello world")
    }

    @Test func loggerRFC3164WithAndWithoutHostname() {
        let (bare, bareText) = T.parse("<13>Nov 22 10:00:00 user: msg")
        #expect(bare.timestamp == T.received)
        #expect(bare.hostname == nil)
        #expect(bare.appName == "user")
        #expect(bareText == "msg")

        let (hosted, hostedText) = T.parse("<13>Nov 22 10:00:00 myhost user: msg")
        #expect(hosted.timestamp == T.received)
        #expect(hosted.hostname == "myhost")
        #expect(hosted.appName == "user")
        #expect(hostedText == "msg")
    }

    @Test func rsyslogForwardFormat() {
        let (message, text) = T.parse("<13>2026-11-22T10:00:00.123+01:00 host app[12]: msg")
        #expect(message == SyslogMessage(format: .rfc3164, facility: 1, severity: 5,
                                         timestamp: 1_795_338_000_123_000_000, hostname: "host", appName: "app",
                                         procID: "12", messageRange: message.messageRange))
        #expect(text == "msg")
    }

    @Test func loggenDefault() {
        let body = "seq: 0000000000, thread: 0000, runid: 1795341600, stamp: 2026-11-22T10:00:00 PADDPADDPADDPADD"
        let (message, text) = T.parse("<38>2026-11-22T10:00:00 localhost prg00000[1234]: \(body)")
        #expect(message.format == .rfc3164)
        #expect(message.facility == 4)
        #expect(message.severity == 6)
        #expect(message.timestamp == T.received)
        #expect(message.hostname == "localhost")
        #expect(message.appName == "prg00000")
        #expect(message.procID == "1234")
        #expect(text == body)
    }

    @Test func ciscoSequenceNumberAndUnsetClock() {
        let (message, text) = T.parse("<189>123: *Mar  1 00:00:11.123: %SYS-5-CONFIG_I: Configured from console")
        #expect(message.format == .rfc3164)
        #expect(message.facility == 23)
        #expect(message.severity == 5)
        #expect(message.timestamp == 1_772_323_211_123_000_000)  // 2026-03-01T00:00:11.123Z
        #expect(message.hostname == nil)
        #expect(message.appName == nil)
        #expect(text == "%SYS-5-CONFIG_I: Configured from console")
    }

    @Test func ciscoVariants() {
        // Origin hostname before the time.
        let (named, namedText) = T.parse("<187>45: router1: *Mar  1 00:00:11.123: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down")
        #expect(named.hostname == "router1")
        #expect(named.timestamp == 1_772_323_211_123_000_000)
        #expect(namedText == "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down")

        // Lost sync ('.'), a year and a zone name.
        let (dotted, dottedText) = T.parse("<189>7: .Mar  1 2025 00:00:11 UTC: %SYS-5-RESTART: System restarted")
        #expect(dotted.timestamp == 1_740_787_211_000_000_000)  // 2025-03-01T00:00:11Z
        #expect(dottedText == "%SYS-5-RESTART: System restarted")

        // ASA: a year and a colon, no sequence number.
        let (asa, asaText) = T.parse("<166>Nov 22 2026 09:00:00: %ASA-6-302013: Built outbound TCP connection")
        #expect(asa.timestamp == 1_795_338_000_000_000_000)
        #expect(asa.appName == nil)
        #expect(asaText == "%ASA-6-302013: Built outbound TCP connection")
    }

    @Test func sequenceNumberWithoutTimestampIsNotSkipped() {
        let (message, text) = T.parse("<14>123: text")
        #expect(message.format == .rfc3164)
        #expect(message.timestamp == nil)
        #expect(message.appName == "123")
        #expect(text == "text")
    }

    // MARK: Years and zones

    @Test func decemberReadInJanuaryIsLastYear() {
        let january: Int64 = 1_798_761_605_000_000_000  // 2027-01-01T00:00:05Z
        let (message, _) = T.parse("<13>Dec 31 23:59:58 host app: late", received: january)
        #expect(message.timestamp == 1_798_761_598_000_000_000)  // 2026-12-31T23:59:58Z
    }

    @Test func januaryReadOnNewYearsEveIsNextYear() {
        let eve: Int64 = 1_798_761_590_000_000_000  // 2026-12-31T23:59:50Z
        let (message, _) = T.parse("<13>Jan  1 00:00:02 host app: early", received: eve)
        #expect(message.timestamp == 1_798_761_602_000_000_000)  // 2027-01-01T00:00:02Z
    }

    @Test func upToADayAheadStaysThisYear() {
        let (message, _) = T.parse("<13>Nov 22 23:00:00 host app: ahead")
        #expect(message.timestamp == T.received + 13 * 3600 * T.second)
        let (tooFar, _) = T.parse("<13>Nov 24 10:00:00 host app: far ahead")
        #expect(tooFar.timestamp == T.received + 2 * 86_400 * T.second - 365 * 86_400 * T.second)
    }

    @Test func leapDay() {
        let march2028: Int64 = 1_835_481_600_000_000_000  // 2028-03-01T00:00:00Z
        let (message, _) = T.parse("<13>Feb 29 12:00:00 host app: x", received: march2028)
        #expect(message.timestamp == 1_835_438_400_000_000_000)
        // No Feb 29 in 2026 or 2025: unreadable, but still skipped.
        let (missing, text) = T.parse("<13>Feb 29 12:00:00 host app: x")
        #expect(missing.timestamp == nil)
        #expect(missing.appName == "app")
        #expect(text == "x")
    }

    @Test func assumedZoneApplies() {
        let (bsd, _) = T.parse("<13>Nov 22 11:00:00 host app: x", offset: 3600)
        #expect(bsd.timestamp == T.received)
        let (iso, _) = T.parse("<13>2026-11-22T05:30:00 host app: x", offset: -16_200)
        #expect(iso.timestamp == T.received)
        // An explicit zone wins over the assumed one.
        let (zoned, _) = T.parse("<13>2026-11-22T10:00:00Z host app: x", offset: 3600)
        #expect(zoned.timestamp == T.received)
    }

    @Test func yearIsTheSendersLocalYear() {
        // 2026-12-31T23:30:00Z is already 2027 at UTC+01:00.
        let received: Int64 = 1_798_759_800_000_000_000
        let (message, _) = T.parse("<13>Jan  1 00:29:00 host app: x", received: received, offset: 3600)
        #expect(message.timestamp == 1_798_759_740_000_000_000)  // 2026-12-31T23:29:00Z
    }

    @Test func extremeArrivalTimesDoNotTrap() {
        for received in [Int64.min, Int64.min + 1, -1, 0, Int64.max - 1, Int64.max] {
            for offset in [Int.min, -86_400, 0, 86_400, Int.max] {
                let (message, _) = T.parse("<13>Dec 31 23:59:59 host app: x", received: received, offset: offset)
                #expect(message.appName == "app")
            }
        }
    }
}
