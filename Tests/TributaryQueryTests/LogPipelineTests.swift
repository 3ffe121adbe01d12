import Testing
import TributaryModel
import TributaryQuery

/// LogQL pipelines over real Loghub lines. Expected counts were taken with
/// awk/python over the same files (see each test), not with this code.
@Suite struct LogPipelineTests {
    struct NotALogQuery: Error {}

    static func pipeline(_ query: String) throws -> LogPipeline {
        guard case .logs(let selector) = try QueryExpr.parse(query, language: .logql) else { throw NotALogQuery() }
        return try LogPipeline(selector.stages)
    }

    static let hdfsStream = LoghubLines.labels(["app": "hdfs"])

    /// HDFS lines as JSON objects built from their header fields.
    static func hdfsJSON() throws -> [String] {
        try LoghubLines.lines("HDFS_2k.log").map { text in
            let f = LoghubLines.hdfsFields(text)
            return #"{"date":"\#(f.date)","time":"\#(f.time)","pid":\#(f.pid),"level":"\#(f.level)","component":"\#(f.component)","content":"\#(f.content)","tags":["hdfs","2k"],"meta":{"pid":\#(f.pid),"day":"\#(f.date)"}}"#
        }
    }

    /// HDFS lines as logfmt.
    static func hdfsLogfmt() throws -> [String] {
        try LoghubLines.lines("HDFS_2k.log").map { text in
            let f = LoghubLines.hdfsFields(text)
            return #"date=\#(f.date) time=\#(f.time) pid=\#(f.pid) level=\#(f.level) component=\#(f.component) took=\#(f.pid)ms msg="\#(f.content)""#
        }
    }

    static func count(_ query: String, _ lines: [String], stream: Labels = hdfsStream) throws -> Int {
        let pipeline = try pipeline(query)
        return lines.filter { pipeline.process(line: $0, timestamp: 0, stream: stream) != nil }.count
    }

    static func labels(_ output: LogPipelineOutput?) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (output?.labels ?? .empty).map { ($0.name, $0.value) })
    }

    static func line(_ output: LogPipelineOutput?) -> String? {
        output?.rewrittenLine.map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: json

    /// python: 307 HDFS lines have level INFO and pid > 20000.
    @Test func jsonExtractsEveryFieldForLabelFilters() throws {
        let lines = try Self.hdfsJSON()
        #expect(try Self.count(#"{app="hdfs"} | json | level="INFO" | pid > 20000"#, lines) == 307)
        #expect(try Self.count(#"{app="hdfs"} | json | meta_pid > 20000"#, lines) == 307, "nested keys join with _")
        #expect(try Self.count(#"{app="hdfs"} | json | level="WARN""#, lines) == 80)
    }

    @Test func jsonFlattensSanitisesAndSkipsArrays() throws {
        let first = try #require(try Self.hdfsJSON().first)
        let output = try Self.pipeline(#"{app="hdfs"} | json"#).process(line: first, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(output) == [
            "app": "hdfs", "date": "081109", "time": "203615", "pid": "148", "level": "INFO",
            "component": "dfs.DataNode$PacketResponder", "content": "PacketResponder 1 for block blk_38865049064139660 terminating",
            "meta_pid": "148", "meta_day": "081109",
        ])
        #expect(output?.rewrittenLine == nil)
        let odd = try Self.pipeline(#"{app="hdfs"} | json"#).process(
            line: #"{"user-agent":"curl","1st":"x","a":{"b c":{"d":true}},"n":null,"esc":"tab\there \u00e9\ud83d\ude00"}"#, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(odd) == ["app": "hdfs", "user_agent": "curl", "_1st": "x", "a_b_c_d": "true", "esc": "tab\there é😀"])
    }

    @Test func jsonKeyCollidingWithStreamLabelGetsExtractedSuffix() throws {
        let first = try #require(try Self.hdfsJSON().first)
        let stream = LoghubLines.labels(["app": "hdfs", "level": "stream"])
        let output = try Self.pipeline(#"{app="hdfs"} | json"#).process(line: first, timestamp: 0, stream: stream)
        #expect(Self.labels(output)["level"] == "stream")
        #expect(Self.labels(output)["level_extracted"] == "INFO")
    }

    /// Apache lines are not JSON: every one gets the parser error.
    @Test func jsonOnNonJSONLinesSetsErrorLabel() throws {
        let lines = try LoghubLines.lines("Apache_2k.log")
        let stream = LoghubLines.labels(["app": "apache"])
        #expect(try Self.count(#"{app="apache"} | json | __error__="JSONParserErr""#, lines, stream: stream) == 2000)
        #expect(try Self.count(#"{app="apache"} | json | __error__="""#, lines, stream: stream) == 0)
        let output = try Self.pipeline(#"{app="apache"} | json"#).process(line: lines[0], timestamp: 0, stream: stream)
        #expect(Self.labels(output)["__error__"] == "JSONParserErr")
        #expect(Self.labels(output)["__error_details__"]?.isEmpty == false)
        let truncated = try Self.pipeline(#"{app="apache"} | json"#).process(line: #"{"a":"1","b":"#, timestamp: 0, stream: stream)
        #expect(Self.labels(truncated)["a"] == "1", "what was read before the fault stays")
        #expect(Self.labels(truncated)["__error__"] == "JSONParserErr")
    }

    @Test func jsonExtractionsFollowPaths() throws {
        let first = try #require(try Self.hdfsJSON().first)
        let output = try Self.pipeline(#"{app="hdfs"} | json lvl="level", p="meta.pid", tag="tags[1]", c="[\"component\"]", meta, missing="nope.x""#)
            .process(line: first, timestamp: 0, stream: Self.hdfsStream)
        let labels = Self.labels(output)
        #expect(labels["lvl"] == "INFO")
        #expect(labels["p"] == "148")
        #expect(labels["tag"] == "2k")
        #expect(labels["c"] == "dfs.DataNode$PacketResponder")
        #expect(labels["meta"] == #"{"pid":148,"day":"081109"}"#, "an object is its JSON text")
        #expect(labels["missing"] == nil && labels["__error__"] == nil, "a missing path is an empty label, not an error")
        #expect(labels["level"] == nil, "only the named paths are read")
    }

    // MARK: logfmt

    /// python: 659 lines have component dfs.FSNamesystem; 112 have pid ≥ 26000 or level WARN.
    @Test func logfmtExtractsPairs() throws {
        let lines = try Self.hdfsLogfmt()
        #expect(try Self.count(#"{app="hdfs"} | logfmt | component="dfs.FSNamesystem""#, lines) == 659)
        #expect(try Self.count(#"{app="hdfs"} | logfmt | pid >= 26000 or level="WARN""#, lines) == 112)
        let output = try Self.pipeline(#"{app="hdfs"} | logfmt"#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(output)["msg"] == "PacketResponder 1 for block blk_38865049064139660 terminating")
        #expect(Self.labels(output)["took"] == "148ms")
    }

    @Test func logfmtStrictReportsMalformedPairsAndLaxSkipsThem() throws {
        let line = #"level=info msg="unterminated"#
        let lax = try Self.pipeline(#"{app="x"} | logfmt"#).process(line: line, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(lax)["level"] == "info")
        #expect(Self.labels(lax)["__error__"] == nil)
        let strict = try Self.pipeline(#"{app="x"} | logfmt --strict"#).process(line: line, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(strict)["__error__"] == "LogfmtParserErr")
        #expect(Self.labels(strict)["__error_details__"]?.contains("unterminated quoted value") == true)
        let skipped = try Self.pipeline(#"{app="x"} | logfmt"#).process(line: #"a=1 =bad b="x\"y" c"#, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(skipped) == ["app": "hdfs", "a": "1", "b": #"x"y"#])
    }

    /// `--keep-empty` makes `a=` a (empty) label, so a later parser cannot set it: the first parser wins.
    @Test func logfmtKeepEmptyKeepsEmptyValues() throws {
        let line = "a= b=1"
        let kept = try Self.pipeline(#"{app="x"} | logfmt --keep-empty | regexp "b=(?P<a>\\w+)""#).process(line: line, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(kept)["a"] == nil)
        let dropped = try Self.pipeline(#"{app="x"} | logfmt | regexp "b=(?P<a>\\w+)""#).process(line: line, timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(dropped)["a"] == "1")
    }

    @Test func logfmtExtractionsNameKeys() throws {
        let lines = try Self.hdfsLogfmt()
        let output = try Self.pipeline(#"{app="hdfs"} | logfmt p="pid", level, absent="zzz""#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(output) == ["app": "hdfs", "p": "148", "level": "INFO"])
    }

    // MARK: regexp, pattern, unpack

    /// grep: 595 [error] and 1405 [notice] lines in Apache_2k.log.
    @Test func regexpNamedGroupsBecomeLabels() throws {
        let lines = try LoghubLines.lines("Apache_2k.log")
        let stream = LoghubLines.labels(["app": "apache"])
        let query = #"{app="apache"} | regexp "^\\[(?P<time>[^\\]]+)\\] \\[(?P<level>\\w+)\\] (?P<message>.*)$""#
        #expect(try Self.count(query + #" | level="error""#, lines, stream: stream) == 595)
        #expect(try Self.count(query + #" | level="notice""#, lines, stream: stream) == 1405)
        let output = try Self.pipeline(query).process(line: lines[1], timestamp: 0, stream: stream)
        #expect(Self.labels(output) == ["app": "apache", "time": "Sun Dec 04 04:47:44 2005", "level": "error", "message": "mod_jk child workerEnv in error state 6"])
        let unmatched = try Self.pipeline(#"{app="apache"} | regexp "(?P<never>zzz\\d)""#).process(line: lines[0], timestamp: 0, stream: stream)
        #expect(Self.labels(unmatched) == ["app": "apache"], "a line the pattern misses is kept unchanged")
    }

    @Test(arguments: [#"(\\w+)"#, #"(?P<1x>a)"#, #"(?P<a>x)(?P<a>y)"#, #"(?P<a>x"#])
    func regexpWithoutUsableNamedGroupsDoesNotCompile(pattern: String) throws {
        // The parser refuses some of them already (with a position), the pipeline the rest.
        #expect(throws: (any Error).self) { try Self.pipeline(#"{app="x"} | regexp ""# + pattern + #"""#) }
    }

    /// grep: "Invalid user admin from" occurs 21 times in OpenSSH_2k.log.
    @Test func patternCapturesBetweenLiterals() throws {
        let lines = try LoghubLines.lines("OpenSSH_2k.log")
        let stream = LoghubLines.labels(["app": "sshd"])
        let query = #"{app="sshd"} | pattern "<_> sshd[<pid>]: Invalid user <user> from <ip>""#
        #expect(try Self.count(query + #" | user="admin""#, lines, stream: stream) == 21)
        let output = try Self.pipeline(query).process(line: lines[1], timestamp: 0, stream: stream)
        #expect(Self.labels(output) == ["app": "sshd", "pid": "24200", "user": "webmaster", "ip": "173.234.31.186"])
        let partial = try Self.pipeline(query).process(line: lines[0], timestamp: 0, stream: stream)
        #expect(Self.labels(partial)["pid"]?.hasPrefix("24200]: reverse mapping") == true, "a literal not found: the capture takes the rest")
        #expect(throws: LogPipelineError.self) { try Self.pipeline(#"{app="x"} | pattern "<a><b>""#) }
        #expect(throws: LogPipelineError.self) { try Self.pipeline(#"{app="x"} | pattern "no captures <_>""#) }
    }

    @Test func unpackRestoresPackedLineAndLabels() throws {
        let original = try #require(try LoghubLines.lines("OpenSSH_2k.log").first)
        let packed = #"{"_entry":"\#(original)","container":"sshd-1","app":"packed"}"#
        let stream = LoghubLines.labels(["app": "sshd"])
        let output = try Self.pipeline(#"{app="sshd"} | unpack"#).process(line: packed, timestamp: 0, stream: stream)
        #expect(Self.line(output) == original)
        #expect(Self.labels(output) == ["app": "sshd", "app_extracted": "packed", "container": "sshd-1"])
        let notJSON = try Self.pipeline(#"{app="sshd"} | unpack"#).process(line: original, timestamp: 0, stream: stream)
        #expect(Self.labels(notJSON)["__error__"] == "JSONParserErr")
    }

    // MARK: label filters

    /// python/awk: 307 pids above 20000; 573 lines carry size 67108864 (= 64 MiB), the other 35 sizes < 60 MB.
    @Test func labelFiltersCompareNumbersDurationsAndBytes() throws {
        let lines = try Self.hdfsLogfmt()
        #expect(try Self.count(#"{app="hdfs"} | logfmt | took > 20s"#, lines) == 307)
        #expect(try Self.count(#"{app="hdfs"} | logfmt | took <= 20s"#, lines) == 2000 - 307)
        let raw = try LoghubLines.lines("HDFS_2k.log")
        let sized = #"{app="hdfs"} | regexp "size (?P<size>\\d+)""#
        #expect(try Self.count(sized + " | size > 60MB", raw) == 573)
        #expect(try Self.count(sized + " | size >= 64MiB", raw) == 573)
        #expect(try Self.count(sized + " | size > 64MiB", raw) == 0)
        #expect(try Self.count(sized + " | size < 5MB", raw) == 18, "awk: 18 sizes below 5e6, 17 between 5e6 and 6e7")
        #expect(try Self.count(#"{app="hdfs"} | logfmt | level="WARN" and pid < 100"#, lines) == 0)
        #expect(try Self.count(#"{app="hdfs"} | logfmt | level=~"W.*", pid != 0"#, lines) == 80)
    }

    /// Loki: a comparison on a missing label drops the line; on a value
    /// that is not a number it keeps the line with `LabelFilterErr`.
    @Test func labelFilterOnMissingOrNonNumericLabel() throws {
        let stream = LoghubLines.labels(["app": "x"])
        let pipeline = try Self.pipeline(#"{app="x"} | logfmt | status >= 500"#)
        #expect(pipeline.process(line: "msg=hello", timestamp: 0, stream: stream) == nil)
        let kept = pipeline.process(line: "status=oops", timestamp: 0, stream: stream)
        #expect(Self.labels(kept)["__error__"] == "LabelFilterErr")
        #expect(pipeline.process(line: "status=404", timestamp: 0, stream: stream) == nil)
        #expect(pipeline.process(line: "status=503", timestamp: 0, stream: stream) != nil)
        let duration = try Self.pipeline(#"{app="x"} | logfmt | took > 1s"#)
        #expect(Self.labels(duration.process(line: "took=fast", timestamp: 0, stream: stream))["__error__"] == "LabelFilterErr")
        #expect(duration.process(line: "took=1m30s", timestamp: 0, stream: stream) != nil)
        #expect(duration.process(line: "took=999ms", timestamp: 0, stream: stream) == nil)
        let missingString = try Self.pipeline(#"{app="x"} | logfmt | user="""#)
        #expect(missingString.process(line: "msg=hi", timestamp: 0, stream: stream) != nil, "a missing label is \"\" for string matchers")
    }

    @Test func recordFieldsAreFilterableWithoutParsing() throws {
        let stream = LoghubLines.labels(["app": "x"])
        let pipeline = try Self.pipeline(#"{app="x"} | level="error" | line_format "{{.level}}: {{.msg}}""#)
        let output = pipeline.process(line: "ignored", timestamp: 0, stream: stream, fields: [Field("level", "error"), Field("msg", "disk full")])
        #expect(Self.line(output) == "error: disk full")
        #expect(Self.labels(output) == ["app": "x"], "fields are not output labels")
        #expect(pipeline.process(line: "ignored", timestamp: 0, stream: stream, fields: [Field("level", "info")]) == nil)
    }

    // MARK: templates

    @Test func lineFormatRunsTemplates() throws {
        let lines = try Self.hdfsLogfmt()
        let output = try Self.pipeline(#"{app="hdfs"} | logfmt | line_format "{{.level}} {{.pid | printf \"%6s\"}} {{ .component | ToUpper }} {{ if gt (int .pid) 100 }}high{{ else }}low{{ end }}""#)
            .process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.line(output) == "INFO    148 DFS.DATANODE$PACKETRESPONDER high")
        let time = try Self.pipeline(#"{app="hdfs"} | line_format "{{ __timestamp__ | date \"2006-01-02T15:04:05Z07:00\" }} {{ __line__ | substr 0 6 }} {{ __timestamp__ | unixEpochMillis }}""#)
            .process(line: lines[0], timestamp: 1_226_263_575_000_000_000, stream: Self.hdfsStream)
        #expect(Self.line(time) == "2008-11-09T20:46:15Z date=0 1226263575000")
        let functions = try Self.pipeline(#"{app="hdfs"} | logfmt | line_format "{{ .msg | trunc 15 | lower }}|{{ Replace .component \".\" \"/\" -1 }}|{{ .missing | default \"none\" }}|{{ if and (eq .level \"INFO\") (hasPrefix \"dfs\" .component) }}yes{{ end }}|{{ .level | title }}|{{ printf \"%05.1f\" 3.14159 }}|{{ regexReplaceAll \"blk_(\\\\d{3})\\\\d+\" .msg \"B$1\" }}""#)
            .process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.line(functions) == "packetresponder|dfs/DataNode$PacketResponder|none|yes|INFO|003.1|PacketResponder 1 for block B388 terminating")
    }

    @Test func templateFailuresSetTemplateFormatErr() throws {
        let lines = try Self.hdfsLogfmt()
        let output = try Self.pipeline(#"{app="hdfs"} | logfmt | line_format "{{ if eq .pid 148 }}x{{ end }}""#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(output)["__error__"] == "TemplateFormatErr", "a string compared with a number, as Go refuses")
        #expect(Self.line(output) == nil, "the line is left as it was")
        #expect(throws: LogPipelineError.self) { try Self.pipeline(#"{app="x"} | line_format "{{ .a ""#) }
        #expect(throws: LogPipelineError.self) { try Self.pipeline(#"{app="x"} | line_format "{{ range .a }}{{ end }}""#) }
        #expect(throws: LogPipelineError.self) { try Self.pipeline(#"{app="x"} | label_format a="{{.b}}", a=c"#) }
        let huge = try Self.pipeline(#"{app="x"} | line_format "{{ __line__ | repeat 100000000 }}""#).process(line: "abc", timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(huge)["__error__"] == "TemplateFormatErr", "output is bounded")
    }

    @Test func labelFormatRenamesAndTemplates() throws {
        let lines = try Self.hdfsLogfmt()
        let output = try Self.pipeline(#"{app="hdfs"} | logfmt | label_format proc="{{.component | trimPrefix \"dfs.\"}}", lvl=level | keep proc, lvl, app"#)
            .process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(output) == ["app": "hdfs", "proc": "DataNode$PacketResponder", "lvl": "INFO"])
    }

    @Test func dropAndKeep() throws {
        let lines = try Self.hdfsLogfmt()
        let dropped = try Self.pipeline(#"{app="hdfs"} | logfmt | drop msg, time, took, date, level="WARN""#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(dropped) == ["app": "hdfs", "pid": "148", "level": "INFO", "component": "dfs.DataNode$PacketResponder"])
        let levelDropped = try Self.pipeline(#"{app="hdfs"} | logfmt | drop level="INFO" | keep level, pid"#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(levelDropped) == ["pid": "148"], "keep also removes stream labels")
        let errors = try Self.pipeline(#"{app="hdfs"} | json | drop __error__, __error_details__"#).process(line: lines[0], timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.labels(errors) == ["app": "hdfs"])
    }

    @Test func decolorizeStripsANSISequences() throws {
        let output = try Self.pipeline(#"{app="x"} | decolorize"#)
            .process(line: "\u{1B}[31mERROR\u{1B}[0m disk \u{1B}[1;32mfull\u{1B}[0m \u{1B}]0;title\u{07}done", timestamp: 0, stream: Self.hdfsStream)
        #expect(Self.line(output) == "ERROR disk full done")
        let plain = try Self.pipeline(#"{app="x"} | decolorize"#).process(line: "no colour", timestamp: 0, stream: Self.hdfsStream)
        #expect(plain?.rewrittenLine == nil)
    }

    /// Line filters before a parser run on the raw line; after line_format they see the new line.
    @Test func lineFiltersBeforeAndAfterRewrites() throws {
        let lines = try LoghubLines.lines("OpenSSH_2k.log")
        let stream = LoghubLines.labels(["app": "sshd"])
        // grep: 113 lines have "Invalid user", 91 of them without "admin" (pgadmin counts as admin).
        #expect(try Self.count(#"{app="sshd"} |= "Invalid user" != "admin""#, lines, stream: stream) == 91)
        #expect(try Self.count(#"{app="sshd"} | pattern "<_> sshd[<pid>]: Invalid user <user> from <ip>" | line_format "{{.user}}" |~ "^admin$""#, lines, stream: stream) == 21)
    }
}
