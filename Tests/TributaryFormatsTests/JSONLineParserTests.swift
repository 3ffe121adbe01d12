import Testing
import TributaryFormats

@Suite struct JSONLineParserTests {
    @Test func flattensNestedObjects() {
        let line = #" {"ts":"2026-11-22T10:00:00Z","level":"warn","http":{"status":503,"req":{"path":"/pay","ms":12.5}},"ok":false,"n":null,"t":true} "#
        #expect(JSONLineParser.parse(line) == [
            KeyValue("ts", "2026-11-22T10:00:00Z"), KeyValue("level", "warn"), KeyValue("http.status", "503"),
            KeyValue("http.req.path", "/pay"), KeyValue("http.req.ms", "12.5"), KeyValue("ok", "false"), KeyValue("n", "null"),
            KeyValue("t", "true"),
        ])
    }

    @Test func arraysKeepCompactText() {
        #expect(JSONLineParser.parse(#"{"tags": [ "a b" , 1,  true ,null, {"x" : [1, 2]}, [] ], "e":[]}"#) == [
            KeyValue("tags", #"["a b",1,true,null,{"x":[1,2]},[]]"#), KeyValue("e", "[]"),
        ])
        #expect(JSONLineParser.parse(#"{"a":["\u00e9 \"q\""]}"#) == [KeyValue("a", #"["\u00e9 \"q\""]"#)], "strings in arrays stay as written")
    }

    @Test func emptyObjects() {
        #expect(JSONLineParser.parse("{}") == [])
        #expect(JSONLineParser.parse(" \n\t{ }\r\n") == [])
        #expect(JSONLineParser.parse(#"{"a":{},"b":{ }}"#) == [KeyValue("a", "{}"), KeyValue("b", "{}")])
    }

    @Test func stringEscapes() {
        #expect(JSONLineParser.parse(#"{"s":"q\" b\\ s\/ \b\f\n\r\t end"}"#) == [KeyValue("s", "q\" b\\ s/ \u{8}\u{C}\n\r\t end")])
        #expect(JSONLineParser.parse(#"{"s":"\u00e9\u00E9 \u20ac \u0041"}"#) == [KeyValue("s", "éé € A")])
        #expect(JSONLineParser.parse(#"{"caf\u00e9":"x"}"#) == [KeyValue("café", "x")], "keys are unescaped too")
        #expect(JSONLineParser.parse(#"{"raw":"héllo 😀"}"#) == [KeyValue("raw", "héllo 😀")])
    }

    @Test func surrogatePairs() {
        #expect(JSONLineParser.parse(#"{"s":"\ud83d\ude00\uD83D\uDE80"}"#) == [KeyValue("s", "😀🚀")])
        #expect(JSONLineParser.parse(#"{"s":"a\ud800b"}"#) == [KeyValue("s", "a\u{FFFD}b")], "lone high surrogate")
        #expect(JSONLineParser.parse(#"{"s":"\udc00"}"#) == [KeyValue("s", "\u{FFFD}")], "lone low surrogate")
        #expect(JSONLineParser.parse(#"{"s":"\ud800\u0041"}"#) == [KeyValue("s", "\u{FFFD}A")], "high surrogate then a non-surrogate")
        #expect(JSONLineParser.parse(#"{"s":"\ud800"}"#) == [KeyValue("s", "\u{FFFD}")], "high surrogate at the end")
        #expect(JSONLineParser.parse(#"{"s":"\ud800\u12"}"#) == nil, "a broken escape after it still fails")
    }

    @Test func numbersAsWritten() {
        #expect(JSONLineParser.parse(#"{"a":0,"b":-0,"c":1.5e+10,"d":0.25,"e":1E-3,"f":-12,"g":123456789012345678901234567890}"#) == [
            KeyValue("a", "0"), KeyValue("b", "-0"), KeyValue("c", "1.5e+10"), KeyValue("d", "0.25"), KeyValue("e", "1E-3"),
            KeyValue("f", "-12"), KeyValue("g", "123456789012345678901234567890"),
        ])
        for bad in ["01", "-", "1.", ".5", "+1", "1e", "1e+", "--1", "NaN", "Infinity", "0x10", "1.2.3", "e5", "-a"] {
            #expect(JSONLineParser.parse(#"{"n":\#(bad)}"#) == nil, "\(bad)")
        }
    }

    @Test func duplicateKeysAreKept() {
        #expect(JSONLineParser.parse(#"{"a":1,"a":2}"#) == [KeyValue("a", "1"), KeyValue("a", "2")])
    }

    @Test func notOneObject() {
        for input in ["", "   ", "[1,2]", #""text""#, "1", "null", "true", "plain log line", "{", "}", "\u{FEFF}{}"] {
            #expect(JSONLineParser.parse(input) == nil, "\(input)")
        }
    }

    @Test func trailingGarbage() {
        #expect(JSONLineParser.parse(#"{"a":1} trailing"#) == nil)
        #expect(JSONLineParser.parse(#"{"a":1}{"b":2}"#) == nil)
        #expect(JSONLineParser.parse(#"{"a":1},"#) == nil)
        #expect(JSONLineParser.parse(#"{"a":1}}"#) == nil)
    }

    @Test func malformed() {
        let inputs = [
            #"{"a":"#, #"{"a":1"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1 "b":2}"#, #"{a:1}"#, #"{'a':1}"#, #"{"a":"unterminated}"#,
            #"{"a":tru}"#, #"{"a":nulls}"#, #"{"a":[1,2}"#, #"{"a":[1,]}"#, #"{"a":[,1]}"#, #"{"a":{"b":1}"#, #"{"a":{"b"}}"#,
            #"{"a":"\x"}"#, #"{"a":"\u12G4"}"#, #"{"a":"\u12"}"#, "{\"a\":\"tab\there\"}", "{\"a\":\"new\nline\"}", #"{,}"#,
            #"{"a":1,,"b":2}"#, #"{"a"::1}"#, #"{"a":[{"b":}]}"#, #"{"a":["\q"]}"#,
        ]
        for input in inputs {
            #expect(JSONLineParser.parse(input) == nil, "\(input)")
        }
    }

    @Test func everyPrefixOfAValidLineIsRejected() {
        let line = #"{"a":{"b":[1,{"c":"d\u00e9\n"},-2.5e3]},"t":true,"s":"x\"y","n":null}"#
        #expect(JSONLineParser.parse(line) != nil)
        let bytes = Array(line.utf8)
        for length in 0..<bytes.count {
            let prefix = bytes[0..<length].withUnsafeBytes { JSONLineParser.parse($0) }
            #expect(prefix == nil, "prefix of \(length) bytes")
        }
    }

    @Test func depthLimit() {
        func nested(_ depth: Int) -> String {
            String(repeating: #"{"a":"#, count: depth - 1) + #"{"a":1}"# + String(repeating: "}", count: depth - 1)
        }
        #expect(JSONLineParser.maxDepth == 32)
        #expect(JSONLineParser.parse(nested(32)) == [KeyValue(Array(repeating: "a", count: 32).joined(separator: "."), "1")])
        #expect(JSONLineParser.parse(nested(33)) == nil)
        #expect(JSONLineParser.parse(nested(10_000)) == nil, "deep input fails fast instead of overflowing the stack")

        func array(_ depth: Int) -> String {
            #"{"a":"# + String(repeating: "[", count: depth - 1) + "1" + String(repeating: "]", count: depth - 1) + "}"
        }
        #expect(JSONLineParser.parse(array(32)) == [KeyValue("a", String(repeating: "[", count: 31) + "1" + String(repeating: "]", count: 31))])
        #expect(JSONLineParser.parse(array(33)) == nil)
        #expect(JSONLineParser.parse(#"{"a":"# + String(repeating: "[{\"b\":", count: 5_000) + "}") == nil)
    }

    @Test func bytesOverloadAndInvalidUTF8() {
        let bytes: [UInt8] = Array(#"{"a":"x"#.utf8) + [0xFF, 0xC3] + Array(#"y","b":1}"#.utf8)
        #expect(bytes.withUnsafeBytes { JSONLineParser.parse($0) } == [KeyValue("a", "x\u{FFFD}\u{FFFD}y"), KeyValue("b", "1")])
        let text = #"{"k":"v","n":{"m":2}}"#
        #expect(Array(text.utf8).withUnsafeBytes { JSONLineParser.parse($0) } == JSONLineParser.parse(text))
    }
}
