import Foundation
import TributaryModel
import TributaryQuery

/// The engine alone on issue 14's range-query load: `sum by (host)
/// (rate(bench_requests_total[5m]))` over 24 h at a 1 min step, on 10,000
/// counters sampled every 10 s, read from memory (no storage decoding).
public struct PromQLRangeBenchmark {
    public var series = 10_000
    public var hosts = 100
    public var hours: Int64 = 24
    public var interval: Int64 = 10_000_000_000
    public var step: Int64 = 60_000_000_000

    public init() {}

    /// Series handed over as stored, without copying.
    final class Source: QuerySource {
        let stored: [MetricSeries]

        init(_ stored: [MetricSeries]) {
            self.stored = stored
        }

        func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
            stored.filter { one in matchers.allSatisfy { $0.matches(one.labels) } }
        }

        func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] { [] }
    }

    /// Seconds for one evaluation (the best of `runs`), and the number of output series.
    public func run(runs: Int = 3) throws -> (seconds: Double, outputSeries: Int) {
        let end: Int64 = 1_800_000_000_000_000_000
        let start = end - hours * 3_600_000_000_000
        let firstSample = start - 300_000_000_000
        let count = Int((end - firstSample) / interval) + 1
        let timestamps = (0..<count).map { firstSample + Int64($0) * interval }
        var stored: [MetricSeries] = []
        stored.reserveCapacity(series)
        for index in 0..<series {
            var value = Double(index % 7)
            var values = [Double](repeating: 0, count: count)
            for sample in 0..<count {
                value += Double((index + sample) % 5)
                if sample % 5_000 == 4_999 { value = 0 }  // a restart now and then
                values[sample] = value
            }
            let labels = try Labels(["__name__": "bench_requests_total", "host": "host-\(index % hosts)", "instance": "i-\(index)"])
            stored.append(MetricSeries(labels: labels, timestamps: timestamps, values: values))
        }
        let source = Source(stored)
        let expr = try QueryExpr.parse("sum by (host) (rate(bench_requests_total[5m]))", language: .promql)
        let engine = QueryEngine()
        var best = Double.infinity
        var outputSeries = 0
        for _ in 0..<max(runs, 1) {
            let began = DispatchTime.now().uptimeNanoseconds
            let result = try engine.range(expr, steps: QuerySteps(start: start, end: end, step: step), source: source)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            best = min(best, seconds)
            if case .matrix(let series) = result { outputSeries = series.count }
        }
        return (best, outputSeries)
    }
}
