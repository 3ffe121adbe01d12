import NIOCore
import Testing
import TributaryModel
import TributaryQuery
@testable import TributaryNode

/// Partials of LogQL range aggregations sent between nodes: split over
/// two "nodes", encoded, decoded and merged, they finish to exactly what
/// one aggregator over every line finishes to.
@Suite struct LogRangePartialsCodingTests {
    static let second: Int64 = 1_000_000_000

    static func lines() throws -> [(Int64, Labels, String)] {
        try (0..<400).map { index in
            let route = ["/a", "/b", "/c"][index % 3]
            let latency = Double((index * 53) % 997) / 7  // not exact in binary: checks round trips
            return (Int64(index) * 9 * second + 1, try Labels(["app": "shop", "host": "h\(index % 2)"]),
                    "level=\(index % 5 == 0 ? "error" : "info") route=\(route) latency=\(latency)")
        }
    }

    func check(_ query: String) throws {
        guard case .logRange(let expr) = try QueryExpr.parse(query, language: .logql) else {
            Issue.record("not a range aggregation: \(query)")
            return
        }
        let steps = QuerySteps(start: 600 * Self.second, end: 3600 * Self.second, step: 120 * Self.second)
        let whole = try LogRangeAggregator(expr, steps: steps)
        let first = try LogRangeAggregator(expr, steps: steps)
        let second = try LogRangeAggregator(expr, steps: steps)
        for (index, (time, labels, line)) in try Self.lines().enumerated() {
            var text = line
            try text.withUTF8 { bytes in
                let view = LogRecordView(timestamp: time, stream: labels, line: UnsafeRawBufferPointer(bytes))
                try whole.add(view)
                try (index % 3 == 0 ? first : second).add(view)
            }
        }
        var merged = [try LogRangeAggregator(expr, steps: steps).partials()]
        for part in [first, second] {
            try LogRangePartialsCoding.merge(try LogRangePartialsCoding.records([part.partials()], time: 0), into: &merged)
        }
        let expected = try whole.finish()
        #expect(!expected.isEmpty, "\(query)")
        #expect(try merged[0].finish(expr, steps: steps) == expected, "\(query)")
    }

    @Test func mergedPartialsFinishAsOneNodesLinesDo() throws {
        try check(#"count_over_time({app="shop"} |= "error" [5m])"#)
        try check(#"bytes_rate({app="shop"} [10m])"#)
        try check(#"avg_over_time({app="shop"} | logfmt | unwrap latency [5m]) by (route)"#)
        try check(#"stddev_over_time({app="shop"} | logfmt | unwrap latency [5m])"#)
        try check(#"quantile_over_time(0.9, {app="shop"} | logfmt | unwrap latency [7m]) by (host)"#)
        try check(#"last_over_time({app="shop"} | logfmt | unwrap latency [3m])"#)
    }

    @Test func aMalformedPartialIsAnErrorNotACrash() throws {
        guard case .logRange(let expr) = try QueryExpr.parse(#"count_over_time({app="shop"}[5m])"#, language: .logql) else { return }
        var partials = [try LogRangeAggregator(expr, steps: .instant(3600 * Self.second)).partials()]
        let bad = Record.log(LogRecord(timestamp: 0, severity: .unknown, labels: try Labels(["__partial_range__": "0", "app": "shop"]),
                                       message: ByteBuffer(string: "0 1 2 three\n")))
        #expect(throws: LogRangePartialsError.self) { try LogRangePartialsCoding.merge([bad], into: &partials) }
        let unknown = Record.log(LogRecord(timestamp: 0, severity: .unknown, labels: try Labels(["__partial_range__": "7"]), message: ByteBuffer()))
        #expect(throws: LogRangePartialsError.self) { try LogRangePartialsCoding.merge([unknown], into: &partials) }
    }
}
