import Testing
import TributaryModel
import TributaryQuery

/// LogQL range aggregations over Loghub lines placed at the times their
/// headers carry. Expected values were counted with awk/python over the
/// same files (window (t−range, t], right-closed), not with this code.
@Suite struct LogRangeAggregatorTests {
    struct NotARangeQuery: Error {}

    static let hour: Int64 = 3_600_000_000_000
    /// 2025-12-10T00:00:00Z, the OpenSSH sample's day.
    static let sshDay: Int64 = 1_765_324_800_000_000_000
    /// 2008-11-09T00:00:00Z, the HDFS sample's first day.
    static let hdfsDay: Int64 = 1_226_188_800_000_000_000

    static func expr(_ query: String) throws -> LogRangeExpr {
        guard case .logRange(let expr) = try QueryExpr.parse(query, language: .logql) else { throw NotARangeQuery() }
        return expr
    }

    static func sshSource() throws -> MemoryLogLines {
        var source = MemoryLogLines()
        let stream = LoghubLines.labels(["app": "sshd", "host": "LabSZ"])
        for line in try LoghubLines.openSSH() { source.append(stream: stream, timestamp: line.timestamp, line: line.text) }
        return source
    }

    static func hdfsSource() throws -> MemoryLogLines {
        var source = MemoryLogLines()
        let stream = LoghubLines.labels(["app": "hdfs"])
        for line in try LoghubLines.hdfs() { source.append(stream: stream, timestamp: line.timestamp, line: line.text) }
        return source
    }

    static func run(_ query: String, _ steps: QuerySteps, _ source: MemoryLogLines, limits: LogRangeLimits = LogRangeLimits()) throws -> [MetricSeries] {
        try LogRangeAggregator.evaluate(try expr(query), steps: steps, source: source, limits: limits)
    }

    static func sshSteps(from: Double, to: Double, step: Int64) -> QuerySteps {
        QuerySteps(start: sshDay + Int64(from * Double(hour)), end: sshDay + Int64(to * Double(hour)), step: step)
    }

    static func hours(_ series: MetricSeries, since day: Int64) -> [Double] {
        series.timestamps.map { Double($0 - day) / Double(hour) }
    }

    static func close(_ actual: [Double], _ expected: [Double], relative: Double = 1e-9) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= relative * max(1, abs($1)) }
    }

    // MARK: counting

    /// awk: "Failed password" lines per (h−1h, h] for h = 7…11: 1, 44, 25, 133, 172.
    @Test func countOverTimeHourlyWindows() throws {
        let result = try Self.run(#"count_over_time({app="sshd"} |= "Failed password" [1h])"#, Self.sshSteps(from: 7, to: 11, step: Self.hour), try Self.sshSource())
        #expect(result.count == 1)
        #expect(result.first?.labels == LoghubLines.labels(["app": "sshd", "host": "LabSZ"]))
        #expect(result.first.map { Self.hours($0, since: Self.sshDay) } == [7, 8, 9, 10, 11])
        #expect(result.first?.values == [1, 44, 25, 133, 172])
    }

    /// awk, windows of 1h every 30 minutes (overlapping): 1, 32, 44, 32, 25, 136, 133, 15, 172.
    @Test func countOverTimeOverlappingWindows() throws {
        let result = try Self.run(#"count_over_time({app="sshd"} |= "Failed password" [1h])"#, Self.sshSteps(from: 7, to: 11, step: Self.hour / 2), try Self.sshSource())
        #expect(result.first?.values == [1, 32, 44, 32, 25, 136, 133, 15, 172])
        #expect(result.first.map { Self.hours($0, since: Self.sshDay) } == [7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11])
    }

    /// awk, 10-minute windows ending on each hour: 1, 4, 0, 0, 159 (no point where 0).
    @Test func windowsShorterThanTheStepLeaveGaps() throws {
        let result = try Self.run(#"count_over_time({app="sshd"} |= "Failed password" [10m])"#, Self.sshSteps(from: 7, to: 11, step: Self.hour), try Self.sshSource())
        #expect(result.first?.values == [1, 4, 159])
        #expect(result.first.map { Self.hours($0, since: Self.sshDay) } == [7, 8, 11])
        let absent = try Self.run(#"absent_over_time({app="sshd", host=~"Lab.*"} |= "Failed password" [10m])"#, Self.sshSteps(from: 7, to: 11, step: Self.hour), try Self.sshSource())
        #expect(absent.count == 1)
        #expect(absent.first?.labels == LoghubLines.labels(["app": "sshd"]), "the selector's equality labels")
        #expect(absent.first.map { Self.hours($0, since: Self.sshDay) } == [9, 10])
        #expect(absent.first?.values == [1, 1])
    }

    @Test func rateAndInstantQueryAndOffset() throws {
        let rate = try Self.run(#"rate({app="sshd"} |= "Failed password" [1h])"#, Self.sshSteps(from: 7, to: 11, step: Self.hour), try Self.sshSource())
        #expect(rate.first?.values == [1.0, 44, 25, 133, 172].map { $0 / 3600 })
        let instant = try Self.run(#"count_over_time({app="sshd"} |= "Failed password" [1h])"#, .instant(Self.sshDay + 11 * Self.hour), try Self.sshSource())
        #expect(instant.first?.values == [172])
        #expect(instant.first?.timestamps == [Self.sshDay + 11 * Self.hour])
        let offset = try Self.run(#"count_over_time({app="sshd"} |= "Failed password" [1h] offset 1h)"#, Self.sshSteps(from: 8, to: 12, step: Self.hour), try Self.sshSource())
        #expect(offset.first?.values == [1, 44, 25, 133, 172])
        #expect(offset.first.map { Self.hours($0, since: Self.sshDay) } == [8, 9, 10, 11, 12], "points stay at the step times")
    }

    /// awk (CR stripped): bytes per hour 730, 18359, 11388, 76291, 61518, 52932.
    @Test func bytesOverTimeAndBytesRate() throws {
        let steps = Self.sshSteps(from: 7, to: 12, step: Self.hour)
        let bytes = try Self.run(#"bytes_over_time({app="sshd"} [1h])"#, steps, try Self.sshSource())
        #expect(bytes.first?.values == [730, 18359, 11388, 76291, 61518, 52932])
        let rate = try Self.run(#"bytes_rate({app="sshd"} [1h])"#, steps, try Self.sshSource())
        #expect(rate.first?.values == [730.0, 18359, 11388, 76291, 61518, 52932].map { $0 / 3600 })
        let count = try Self.run(#"count_over_time({app="sshd"} [1h])"#, steps, try Self.sshSource())
        #expect(count.first?.values == [7, 169, 118, 676, 557, 473])
    }

    // MARK: unwrapped values

    static func hdfsSteps() -> QuerySteps {
        QuerySteps(start: hdfsDay + 24 * hour, end: hdfsDay + 60 * hour, step: 12 * hour)
    }

    static let sized = #"{app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap size"#

    /// python over the 608 "size N" lines, 12-hour windows ending 2008-11-10T00:00 … 11-11T12:00.
    @Test func unwrappedAggregations() throws {
        let source = try Self.hdfsSource()
        let steps = Self.hdfsSteps()
        let sum = try Self.run("sum_over_time(\(Self.sized) [12h])", steps, source)
        #expect(sum.count == 1)
        #expect(sum.first?.labels == LoghubLines.labels(["app": "hdfs"]), "the unwrapped label leaves the series")
        #expect(sum.first?.values == [3_899_406_996, 7_786_129_730, 9_343_498_462, 17_951_679_758])
        let count = try Self.run("count_over_time({app=\"hdfs\"} |= \"size \" [12h])", steps, source)
        #expect(count.first?.values == [60, 121, 144, 283])
        let avg = try Self.run("avg_over_time(\(Self.sized) [12h])", steps, source)
        #expect(Self.close(avg.first?.values ?? [], [64_990_116.6, 64_348_179.58677686, 64_885_405.98611111, 63_433_497.37809187]))
        let minimum = try Self.run("min_over_time(\(Self.sized) [12h])", steps, source)
        #expect(minimum.first?.values == [3_542_967, 3_540_106, 3_552_954, 3_530_010])
        let maximum = try Self.run("max_over_time(\(Self.sized) [12h])", steps, source)
        #expect(maximum.first?.values == [67_108_864, 67_108_864, 67_108_864, 67_108_864])
        let stddev = try Self.run("stddev_over_time(\(Self.sized) [12h])", steps, source)
        #expect(Self.close(stddev.first?.values ?? [], [11_409_803.951326985, 12_339_999.715276822, 10_145_337.992424482, 13_758_707.19553634], relative: 1e-9))
        let stdvar = try Self.run("stdvar_over_time(\(Self.sized) [12h])", steps, source)
        #expect(Self.close(stdvar.first?.values ?? [], [130_183_626_207_716.88, 152_275_592_973_032.06, 102_927_882_980_531.61, 189_302_023_692_503.47], relative: 1e-9))
        let quantile = try Self.run("quantile_over_time(0.01, \(Self.sized) [12h])", steps, source)
        #expect(Self.close(quantile.first?.values ?? [], [3_547_067.5, 3_547_198.4, 14_276_871.919999998, 3_541_232.8200000003]))
        let last = try Self.run("last_over_time(\(Self.sized) [12h])", steps, source)
        #expect(last.first?.values == [67_108_864, 28_492_032, 67_108_864, 67_108_864])
        let bytes = try Self.run(#"sum_over_time({app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap bytes(size) [12h])"#, steps, source)
        #expect(bytes.first?.values == sum.first?.values)
    }

    @Test func unwrapGroupingKeepsOnlyNamedLabels() throws {
        let result = try Self.run(#"min_over_time({app="hdfs"} | regexp "(?P<level>INFO|WARN) (?P<component>[^:]+):.* size (?P<size>\\d+)" | unwrap size [12h]) by (level)"#, Self.hdfsSteps(), try Self.hdfsSource())
        #expect(result.map(\.labels) == [LoghubLines.labels(["level": "INFO"])])
        #expect(result.first?.values == [3_542_967, 3_540_106, 3_552_954, 3_530_010], "every sized line is INFO")
        let without = try Self.run(#"max_over_time({app="hdfs"} | regexp "(?P<level>INFO|WARN) (?P<component>[^:]+):.* size (?P<size>\\d+)" | unwrap size [12h]) without (component)"#, Self.hdfsSteps(), try Self.hdfsSource())
        #expect(without.map(\.labels) == [LoghubLines.labels(["app": "hdfs", "level": "INFO"])])
    }

    /// By hand: values 5, 10, 2 (reset), 6 at 10 s, 20 s, 30 s, 40 s in (0, 60 s]:
    /// increase 6 − 5 + 10 = 11; extrapolated by (30 + 10 + 5) / 30 → 16.5; / 60 s = 0.275.
    @Test func rateCounterHandlesResets() throws {
        var source = MemoryLogLines()
        let stream = LoghubLines.labels(["app": "counter"])
        for (second, value) in [(40, 6), (10, 5), (30, 2), (20, 10)] {
            source.append(stream: stream, timestamp: Int64(second) * 1_000_000_000, line: "total=\(value)")
        }
        let result = try Self.run(#"rate_counter({app="counter"} | logfmt | unwrap total [1m])"#, .instant(60_000_000_000), source)
        #expect(Self.close(result.first?.values ?? [], [0.275]))
    }

    // MARK: errors and bounds

    @Test func linesWithErrorLabelsFailMetricQueriesUnlessFiltered() throws {
        var source = MemoryLogLines()
        let stream = LoghubLines.labels(["app": "apache"])
        for (offset, line) in try LoghubLines.lines("Apache_2k.log").prefix(100).enumerated() {
            source.append(stream: stream, timestamp: Int64(offset + 1) * 1_000_000_000, line: line)
        }
        #expect(throws: LogPipelineError.self) { try Self.run(#"count_over_time({app="apache"} | json [1h])"#, .instant(Self.hour), source) }
        #expect(try Self.run(#"count_over_time({app="apache"} | json | __error__="" [1h])"#, .instant(Self.hour), source).isEmpty)
        #expect(try Self.run(#"count_over_time({app="apache"} | json | drop __error__, __error_details__ [1h])"#, .instant(Self.hour), source).first?.values == [100])
        #expect(throws: LogPipelineError.self) { try Self.run(#"sum_over_time({app="apache"} | regexp "\\[(?P<level>\\w+)\\]" | unwrap level [1h])"#, .instant(Self.hour), source) }
        #expect(try Self.run(#"sum_over_time({app="apache"} | regexp "\\[(?P<level>\\w+)\\]" | unwrap level | __error__="" [1h])"#, .instant(Self.hour), source).isEmpty)
    }

    @Test func memoryBoundsAreClearErrors() throws {
        let source = try Self.hdfsSource()
        #expect(throws: LogPipelineError.self) {
            try Self.run(#"count_over_time({app="hdfs"} | regexp "^\\d+ \\d+ (?P<pid>\\d+)" [12h])"#, Self.hdfsSteps(), source, limits: LogRangeLimits(maxSeries: 10))
        }
        #expect(throws: LogPipelineError.self) {
            try Self.run("quantile_over_time(0.5, \(Self.sized) [12h])", Self.hdfsSteps(), source, limits: LogRangeLimits(maxSamples: 100))
        }
        #expect(throws: LogPipelineError.self) {
            try LogRangeAggregator(try Self.expr(#"count_over_time({app="x"} [1h])"#), steps: QuerySteps(start: Int64.min + 1, end: Int64.min + 1, step: 1))
        }
    }

    // MARK: partials

    /// A cluster's nodes each see some lines; merging their partials gives
    /// what one node seeing every line gives.
    @Test(arguments: [
        #"count_over_time({app="hdfs"} |= "size" [12h])"#,
        #"bytes_over_time({app="hdfs"} [6h])"#,
        #"stddev_over_time({app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap size [12h])"#,
        #"quantile_over_time(0.01, {app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap size [12h])"#,
        #"first_over_time({app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap size [18h])"#,
        #"last_over_time({app="hdfs"} | regexp "size (?P<size>\\d+)" | unwrap size [18h])"#,
        #"avg_over_time({app="hdfs"} | regexp "^\\d+ \\d+ (?P<pid>\\d+) (?P<level>\\w+)" | unwrap pid [12h]) by (level)"#,
    ])
    func partialsMergedAcrossNodesEqualOneNode(query: String) throws {
        let expr = try Self.expr(query)
        let steps = QuerySteps(start: Self.hdfsDay + 21 * Self.hour, end: Self.hdfsDay + 60 * Self.hour, step: 3 * Self.hour)
        let all = try Self.hdfsSource()
        let whole = try LogRangeAggregator.evaluate(expr, steps: steps, source: all)
        // Three nodes, lines dealt round-robin, each read backwards (order must not matter).
        var merged: LogRangePartials? = nil
        for node in 0..<3 {
            var part = MemoryLogLines()
            part.records = all.records.enumerated().filter { $0.offset % 3 == node }.map(\.element).reversed()
            let aggregator = try LogRangeAggregator(expr, steps: steps)
            let range = aggregator.readRange
            try part.lines(matching: expr.selector.matchers, from: range.from, to: range.to, requiredSubstrings: []) { record in
                try aggregator.add(record)
                return true
            }
            if merged == nil { merged = aggregator.partials() } else { try merged?.merge(aggregator.partials()) }
        }
        let result = try #require(merged).finish(expr, steps: steps)
        #expect(!whole.isEmpty)
        #expect(result.map(\.labels) == whole.map(\.labels))
        #expect(result.map(\.timestamps) == whole.map(\.timestamps))
        for (left, right) in zip(result, whole) {
            #expect(Self.close(left.values, right.values, relative: 1e-9), "\(query)")
        }
    }
}
