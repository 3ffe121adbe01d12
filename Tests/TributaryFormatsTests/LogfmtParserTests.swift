import Testing
import TributaryFormats

@Suite struct LogfmtParserTests {
    @Test func pairsQuotedValuesAndBareKeys() {
        #expect(LogfmtParser.parse(#"level=info msg="hello world" duration=12ms ok"#) == [
            KeyValue("level", "info"), KeyValue("msg", "hello world"), KeyValue("duration", "12ms"), KeyValue("ok", ""),
        ])
    }

    @Test func realisticLine() {
        let line = #"time=2026-11-22T10:00:00.123Z level=warn caller=http/server.go:88 msg="slow request" method=GET path=/api/v1/pay status=200 took=1.25s user-agent="curl/8.5.0" k8s/pod=web-7f9 retry"#
        #expect(LogfmtParser.parse(line) == [
            KeyValue("time", "2026-11-22T10:00:00.123Z"), KeyValue("level", "warn"), KeyValue("caller", "http/server.go:88"),
            KeyValue("msg", "slow request"), KeyValue("method", "GET"), KeyValue("path", "/api/v1/pay"), KeyValue("status", "200"),
            KeyValue("took", "1.25s"), KeyValue("user-agent", "curl/8.5.0"), KeyValue("k8s/pod", "web-7f9"), KeyValue("retry", ""),
        ])
    }

    @Test func escapesInQuotedValues() {
        #expect(LogfmtParser.parse(#"msg="say \"hi\" to C:\\temp" n=1"#) == [KeyValue("msg", #"say "hi" to C:\temp"#), KeyValue("n", "1")])
        #expect(LogfmtParser.parse(#"err="line1\nline2\tend\r""#) == [KeyValue("err", "line1\nline2\tend\r")])
        // Unknown escapes are kept as written.
        #expect(LogfmtParser.parse(#"re="\d+\.\w""#) == [KeyValue("re", #"\d+\.\w"#)])
        // Backslashes outside quotes are plain bytes.
        #expect(LogfmtParser.parse(#"path=C:\\x"#) == [KeyValue("path", #"C:\\x"#)])
        #expect(LogfmtParser.parse(#"a="" b="\"""#) == [KeyValue("a", ""), KeyValue("b", "\"")])
    }

    @Test func unquotedValuesMayHoldEqualsAndQuotes() {
        #expect(LogfmtParser.parse(#"url=http://x/?a=b&c=d q=a"b"#) == [KeyValue("url", "http://x/?a=b&c=d"), KeyValue("q", #"a"b"#)])
    }

    @Test func emptyValuesAndWhitespace() {
        #expect(LogfmtParser.parse("a= b=2") == [KeyValue("a", ""), KeyValue("b", "2")])
        #expect(LogfmtParser.parse("  a=1\t\tb=2  \r\n") == [KeyValue("a", "1"), KeyValue("b", "2")])
        #expect(LogfmtParser.parse("x=1 x=2") == [KeyValue("x", "1"), KeyValue("x", "2")], "duplicates are kept in order")
    }

    @Test func unicodeValues() {
        #expect(LogfmtParser.parse(#"msg="héllo 😀 wörld" emoji=😀"#) == [KeyValue("msg", "héllo 😀 wörld"), KeyValue("emoji", "😀")])
    }

    @Test func notLogfmt() {
        #expect(LogfmtParser.parse("") == nil)
        #expect(LogfmtParser.parse("   ") == nil)
        #expect(LogfmtParser.parse("just a sentence") == nil, "bare keys only")
        #expect(LogfmtParser.parse("Hello, world") == nil, "',' is not a key byte")
        #expect(LogfmtParser.parse(#"msg="unterminated"#) == nil)
        #expect(LogfmtParser.parse(#"msg="ends in backslash\"#) == nil)
        #expect(LogfmtParser.parse(#"a=1 msg="escaped quote at end\""#) == nil)
        #expect(LogfmtParser.parse("=value") == nil)
        #expect(LogfmtParser.parse("a=1 =2") == nil)
        #expect(LogfmtParser.parse("ke@y=1") == nil)
        #expect(LogfmtParser.parse("ok a=1 b:c=2") == nil)
        #expect(LogfmtParser.parse(#""quoted"=x"#) == nil)
        #expect(LogfmtParser.parse("clé=1") == nil, "non-ASCII keys are rejected")
        #expect(LogfmtParser.parse(#"a="b"c=d"#) == nil, "text glued to a closing quote")
        #expect(LogfmtParser.parse(#"{"level":"info"}"#) == nil, "JSON is not logfmt")
        #expect(LogfmtParser.parse("2026-11-22 10:00:00 ERROR boom") == nil)
    }
}
