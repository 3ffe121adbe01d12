import Testing
@testable import TributaryFormats

/// The Prometheus text format 0.0.4 and OpenMetrics parser: what real
/// exporters write, and what a hostile target could send instead.
@Suite struct ExpositionParserTests {
    private func parse(_ text: String, _ format: ExpositionFormat = .text, limits: ExpositionLimits = ExpositionLimits()) throws -> [ExposedSample] {
        try ExpositionParser.parse(Array(text.utf8), format: format, limits: limits)
    }

    private func failure(_ text: String, _ format: ExpositionFormat = .text, limits: ExpositionLimits = ExpositionLimits()) -> ExpositionError? {
        do {
            _ = try ExpositionParser.parse(Array(text.utf8), format: format, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheTextFormatWithTypesEscapesAndTimestamps() throws {
        let samples = try parse(#"""
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            something_weird{problem="division by zero"} +Inf -3982045
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05",} 24054
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            nan_gauge NaN
            negative -Inf
            """#)
        #expect(samples.count == 13)
        #expect(samples[0] == ExposedSample(name: "http_requests_total", labels: [KeyValue("method", "post"), KeyValue("code", "200")],
                                            value: 1027, timestamp: 1_395_066_363_000_000_000, kind: .counter))
        #expect(samples[2].labels == [KeyValue("path", #"C:\DIR\FILE.TXT"#), KeyValue("error", "Cannot find file:\n\"FILE.TXT\"")])
        #expect(samples[2].value == 1.458255915e9 && samples[2].kind == .gauge)
        #expect(samples[3].timestamp == nil && samples[3].labels.isEmpty)
        #expect(samples[4].value == .infinity && samples[4].timestamp == -3_982_045_000_000)
        #expect(samples[5].kind == .gauge, "a quantile is a gauge")
        #expect(samples[6].kind == .counter && samples[7].kind == .counter, "_sum and _count count")
        #expect(samples[8].labels == [KeyValue("le", "0.05")], "a trailing comma is allowed")
        #expect(samples[9].kind == .counter && samples[10].kind == .counter)
        #expect(samples[11].value.isNaN && samples[12].value == -.infinity)
    }

    @Test func readsOpenMetricsCountersExemplarsAndSecondTimestamps() throws {
        let samples = try parse("""
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
            acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
            # TYPE go_goroutines gauge
            go_goroutines 69 1605281325.25
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5
            foo_created 1520872607.123
            # TYPE bar histogram
            bar_bucket{le="+Inf"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789
            # EOF

            """, .openMetrics)
        #expect(samples.map(\.name) == ["acme_http_router_request_seconds_sum", "acme_http_router_request_seconds_count",
                                         "acme_http_router_request_seconds_created", "go_goroutines", "foo_total", "foo_created", "bar_bucket"])
        #expect(samples.map(\.kind) == [.counter, .counter, .gauge, .gauge, .counter, .gauge, .counter])
        #expect(samples[3].timestamp == 1_605_281_325_250_000_000, "OpenMetrics timestamps are seconds")
        #expect(samples[4].value == 17 && samples[4].timestamp == 1_520_879_607_789_000_000)
        #expect(samples[6].labels == [KeyValue("le", "+Inf")])
    }

    @Test func openMetricsMustEndWithEOFAndNothingAfterIt() {
        let cut = failure("# TYPE a gauge\na 1\n", .openMetrics)
        #expect(cut?.message.contains("does not end with \"# EOF\"") == true)
        let after = failure("a 1\n# EOF\nb 2\n", .openMetrics)
        #expect(after?.line == 3 && after?.message.contains("after \"# EOF\"") == true)
        // In the text format, "# EOF" is just a comment.
        #expect((try? parse("a 1\n# EOF\nb 2\n"))?.count == 2)
    }

    @Test func contentTypeChoosesTheFormat() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4; charset=utf-8") == .text)
        #expect(ExpositionFormat(contentType: nil) == .text)
        #expect(ExpositionFormat.acceptHeader.hasPrefix("application/openmetrics-text;version=1.0.0"))
    }

    @Test(arguments: [
        (#"a{path="x\q"} 1"#, 1, #"invalid escape "\q" in the value of the label path"#),
        (#"a{path="unterminated} 1"#, 1, "the value of the label path has no closing quote"),
        ("a{b=\"1\",b=\"2\"} 1", 1, "the label b appears twice"),
        ("a{1b=\"x\"} 1", 1, "expected a label name"),
        ("a{b=\"x\" 1", 1, "expected \",\" or \"}\" after the value of the label b"),
        ("ok 1\n9lives 1", 2, "expected a metric name"),
        ("a 1x", 1, "\"1x\" is not a number"),
        ("a nan(0x7)", 1, "is not a number"),
        ("a 1 99999999999999999", 1, "is not a timestamp (integer milliseconds) in range"),
        ("a 1 2 3", 1, "unexpected \"3\" after the value of a"),
        ("a{b=\"x\"}1", 1, "expected a space and the value of a"),
        ("a", 1, "a has no value"),
        ("# TYPE a sometimes\na 1", 1, "unknown metric type \"sometimes\""),
        (#"{"my.metric"} 1"#, 1, "quoted (UTF-8) metric name"),
    ])
    func badLinesGiveTheLineAndWhatIsWrong(text: String, line: Int, says: String) {
        let error = failure(text)
        #expect(error?.line == line, "\(text)")
        #expect(error?.description.contains(says) == true, "\(text): \(String(describing: error))")
    }

    @Test func invalidUTF8InALabelValueIsRefused() {
        let bytes = Array("a{b=\"".utf8) + [0xC3, 0x28] + Array("\"} 1".utf8)
        #expect(throws: ExpositionError.self) { try ExpositionParser.parse(bytes, format: .text) }
    }

    @Test func aHugeLineFailsAtTheLineBoundWithoutReadingIt() {
        var limits = ExpositionLimits()
        limits.maxLineBytes = 4096
        let line = "a{b=\"" + String(repeating: "x", count: 8 << 20) + "\"} 1\n"
        let error = failure("ok 1\n" + line, limits: limits)
        #expect(error?.kind == .lineTooLong && error?.line == 2)
        #expect(error?.description.contains("longer than 4096 bytes") == true)
    }

    @Test func aMillionSeriesStopAtTheSampleLimit() {
        var text = "# TYPE s gauge\n"
        text.reserveCapacity(24 << 20)
        for index in 0..<1_000_000 { text += "s{i=\"\(index)\"} 1\n" }
        let error = failure(text, limits: ExpositionLimits(maxSamples: 1000))
        #expect(error?.kind == .sampleLimit)
        #expect(error?.line == 1002, "the first sample over the limit")
        #expect(error?.description.contains("more than 1000 samples (sample_limit)") == true)
    }

    @Test func tooManyLabelsOnOneSampleAreRefused() {
        let labels = (0..<100).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let error = failure("a{\(labels)} 1")
        #expect(error?.kind == .tooMany && error?.description.contains("more than 64 labels") == true)
    }

    @Test func randomBytesNeverTrapAndKeepTheBounds() {
        var generator = SplitMix64(seed: 15)
        let seeds = [Array("a{b=\"c\\\\\"} 1 2\n# TYPE a counter\n".utf8), Array("x_total 1 1.5 # {t=\"1\"} 2\n# EOF\n".utf8)]
        var limits = ExpositionLimits(maxSamples: 5)
        limits.maxLineBytes = 64
        for round in 0..<20_000 {
            var bytes = seeds[round % 2]
            for _ in 0..<Int(generator.next() % 6) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            for format in [ExpositionFormat.text, .openMetrics] {
                if let samples = try? ExpositionParser.parse(bytes, format: format, limits: limits) {
                    #expect(samples.count <= 5)
                }
            }
        }
    }
}
