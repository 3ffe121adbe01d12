import Testing
@testable import TributaryFormats

@Suite struct DockerLogLineTests {
    @Test func completeLine() {
        let line = #"{"log":"GET /health 200\n","stream":"stderr","time":"2026-11-22T10:00:00.123456789Z"}"#
        #expect(DockerLogLine.parse(line) == DockerLogLine(log: "GET /health 200", stream: "stderr", timestamp: 1_795_341_600_123_456_789, partial: false))
        let bytes = Array(line.utf8)
        #expect(bytes.withUnsafeBytes { DockerLogLine.parse($0) } == DockerLogLine.parse(line))
    }

    @Test func partialPiecesOfALongLine() {
        let first = DockerLogLine.parse(#"{"log":"first half, ","stream":"stdout","time":"2026-11-22T10:00:00Z"}"#)
        let last = DockerLogLine.parse(#"{"log":"second half\n","stream":"stdout","time":"2026-11-22T10:00:00.5Z"}"#)
        #expect(first == DockerLogLine(log: "first half, ", stream: "stdout", timestamp: 1_795_341_600_000_000_000, partial: true))
        #expect(last == DockerLogLine(log: "second half", stream: "stdout", timestamp: 1_795_341_600_500_000_000, partial: false))
        let long = String(repeating: "x", count: 16_384)
        #expect(DockerLogLine.parse(#"{"log":"\#(long)","stream":"stdout","time":"2026-11-22T10:00:00Z"}"#)?.partial == true)
    }

    @Test func onlyOneNewlineIsRemoved() {
        #expect(DockerLogLine.parse(#"{"log":"a\n\n","stream":"stdout"}"#)?.log == "a\n")
        #expect(DockerLogLine.parse(#"{"log":"\n","stream":"stdout"}"#) == DockerLogLine(log: "", stream: "stdout", timestamp: nil, partial: false))
        #expect(DockerLogLine.parse(#"{"log":"","stream":"stdout"}"#) == DockerLogLine(log: "", stream: "stdout", timestamp: nil, partial: true))
    }

    @Test func carriageReturnLineFeed() {
        // "\r\n" is one Character in Swift; the newline must still be found.
        #expect(DockerLogLine.parse(#"{"log":"dos line\r\n","stream":"stdout","time":"2026-11-22T10:00:00Z"}"#)
            == DockerLogLine(log: "dos line\r", stream: "stdout", timestamp: 1_795_341_600_000_000_000, partial: false))
    }

    @Test func escapesAndExtraKeys() {
        let line = #"{"log":"{\"level\":\"info\",\"msg\":\"caf\u00e9 \ud83d\ude00\"}\n","stream":"stdout","attrs":{"tag":"web","log":"nested"},"time":"2026-11-22T12:30:00+02:30"}"#
        #expect(DockerLogLine.parse(line) == DockerLogLine(log: #"{"level":"info","msg":"café 😀"}"#, stream: "stdout",
                                                           timestamp: 1_795_341_600_000_000_000, partial: false))
    }

    @Test func missingOrOddFields() {
        #expect(DockerLogLine.parse(#"{"log":"x\n"}"#) == DockerLogLine(log: "x", stream: "stdout", timestamp: nil, partial: false))
        #expect(DockerLogLine.parse(#"{"log":"x\n","time":"yesterday"}"#)?.timestamp == nil, "a bad time keeps the line")
        #expect(DockerLogLine.parse(#"{"stream":"stdout","time":"2026-11-22T10:00:00Z"}"#) == nil, "no log")
        #expect(DockerLogLine.parse(#"{"log":5,"stream":"stdout"}"#) == nil, "log is not a string")
        #expect(DockerLogLine.parse(#"{"log":{"a":"b"}}"#) == nil)
        #expect(DockerLogLine.parse("not json") == nil)
        #expect(DockerLogLine.parse(#"{"log":"x\n","stream":"stdout"} trailing"#) == nil)
        #expect(DockerLogLine.parse("") == nil)
    }

    @Test func rfc3339() {
        #expect(RFC3339.nanoseconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.nanoseconds("1969-12-31T23:59:59Z") == -1_000_000_000)
        #expect(RFC3339.nanoseconds("1969-12-31T23:59:59.5Z") == -500_000_000)
        #expect(RFC3339.nanoseconds("2000-01-01T00:00:00Z") == 946_684_800_000_000_000)
        #expect(RFC3339.nanoseconds("2024-02-29T23:59:59-05:00") == 1_709_269_199_000_000_000)
        #expect(RFC3339.nanoseconds("2026-11-22t10:00:00.1z") == 1_795_341_600_100_000_000)
        #expect(RFC3339.nanoseconds("2026-11-22 10:00:00.000001Z") == 1_795_341_600_000_001_000)
        #expect(RFC3339.nanoseconds("2026-11-22T10:00:00.1234567891234Z") == 1_795_341_600_123_456_789, "extra digits truncated")
        #expect(RFC3339.nanoseconds("2262-04-11T23:47:16.854775807Z") == Int64.max)
        let invalid = [
            "", "2026-11-22", "2026-11-22T10:00:00", "2026-11-22T10:00:00ZZ", "2026-11-22T10:00:00Z ", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z",
            "2026-11-22T10:00:61Z", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+0100", "2026-11-22T10:00:00+01", "2026-11-22T10:00:00+24:00",
            "2026/11/22T10:00:00Z", "2026-11-22X10:00:00Z", "20261122T100000Z", "2262-04-11T23:47:16.854775808Z", "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
        ]
        for text in invalid {
            #expect(RFC3339.nanoseconds(text) == nil, "\(text)")
        }
    }
}
