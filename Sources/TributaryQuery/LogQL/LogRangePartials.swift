import TributaryModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The partial state of a LogQL range aggregation: per output series, an
/// aggregate per elementary interval of `grid`. Partials computed over
/// different lines of the same query (a cluster's nodes, each over its
/// partitions) `merge` into the partial of all those lines; `finish` turns
/// the result into series with a point per step, as Loki computes them.
public struct LogRangePartials: Sendable, Equatable {
    public let grid: LogRangeGrid
    public internal(set) var series: [Labels: LogSeriesIntervals]

    public init(grid: LogRangeGrid, series: [Labels: LogSeriesIntervals] = [:]) {
        self.grid = grid
        self.series = series
    }

    /// Adds the lines another partial of the same query saw.
    public mutating func merge(_ other: LogRangePartials) throws(LogPipelineError) {
        guard other.grid == grid else { throw LogPipelineError("BUG: merging LogQL partials of different queries (their windows differ)") }
        for (labels, intervals) in other.series {
            if var existing = series[labels] {
                existing.merge(intervals)
                series[labels] = existing
            } else {
                series[labels] = intervals
            }
        }
    }

    /// The result: one series per label set with a point at each step whose
    /// window holds lines (for `absent_over_time`: one series with the
    /// selector's equality labels, 1 at each step where no line is).
    /// Output labels carrying `__error__` fail the query as in Loki
    /// (filter them with `| __error__=""` or drop the label).
    public func finish(_ expr: LogRangeExpr, steps: QuerySteps) throws(LogPipelineError) -> [MetricSeries] {
        let rangeSeconds = Double(expr.range) / 1e9
        var result: [MetricSeries] = []
        var stepHasLines = [Bool](repeating: false, count: grid.windowStart.count)
        for (labels, intervals) in series.sorted(by: { $0.key.description < $1.key.description }) {
            var output = MetricSeries(labels: labels, timestamps: [], values: [])
            for step in 0..<grid.windowStart.count {
                guard let window = intervals.window(grid.windowStart[step] + 1, grid.windowEnd[step]), window.count > 0 else { continue }
                stepHasLines[step] = true
                let windowEnd = grid.boundaries[grid.windowEnd[step]]
                output.timestamps.append(steps.time(step))
                output.values.append(Self.value(expr, window, rangeSeconds: rangeSeconds, windowEnd: windowEnd, range: expr.range))
            }
            guard !output.timestamps.isEmpty else { continue }
            if let error = labels[LogLabelNames.error] {
                throw LogPipelineError("pipeline error: '\(error)' for series: '\(labels)'. Use a label filter to intentionally skip this error (e.g | __error__!=\"\(error)\"); to skip all errors use | __error__=\"\"")
            }
            result.append(output)
        }
        guard expr.function == .absentOverTime else { return result }
        var absent = MetricSeries(labels: Self.absentLabels(expr.selector.matchers), timestamps: [], values: [])
        for step in 0..<stepHasLines.count where !stepHasLines[step] {
            absent.timestamps.append(steps.time(step))
            absent.values.append(1)
        }
        return absent.timestamps.isEmpty ? [] : [absent]
    }

    /// Loki's `absentLabels`: the selector's `name="value"` matchers, less
    /// any name that also has another matcher.
    static func absentLabels(_ matchers: [LabelMatcher]) -> Labels {
        var pairs: [Label] = []
        var excluded: [String] = []
        for matcher in matchers where matcher.name != "__name__" {
            if matcher.op == .equal, !pairs.contains(where: { $0.name == matcher.name }) {
                pairs.append(Label(matcher.name, matcher.value))
            } else {
                excluded.append(matcher.name)
            }
        }
        pairs.removeAll { excluded.contains($0.name) }
        pairs.sort { $0.name < $1.name }
        return Labels(sortedUnchecked: pairs)
    }

    static func value(_ expr: LogRangeExpr, _ window: LogIntervalAggregate, rangeSeconds: Double, windowEnd: Int64, range: Int64) -> Double {
        switch expr.function {
        case .countOverTime: return Double(window.count)
        case .rate: return (expr.unwrap == nil ? Double(window.count) : window.sum) / rangeSeconds
        case .bytesOverTime, .sumOverTime: return window.sum
        case .bytesRate: return window.sum / rangeSeconds
        case .absentOverTime: return 1
        case .avgOverTime: return window.mean
        case .minOverTime: return window.min
        case .maxOverTime: return window.max
        case .stdvarOverTime: return window.m2 / Double(window.count)
        case .stddevOverTime: return sqrt(window.m2 / Double(window.count))
        case .firstOverTime: return window.firstValue
        case .lastOverTime: return window.lastValue
        case .quantileOverTime:
            return quantile(expr.parameter ?? .nan, (window.samples ?? []).map(\.value))
        case .rateCounter:
            let samples = (window.samples ?? []).enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            return counterRate(samples, rangeStart: windowEnd - range, rangeEnd: windowEnd, rangeSeconds: rangeSeconds)
        }
    }

    /// Prometheus' and Loki's quantile: linear interpolation between ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { $0 < $1 || ($1.isNaN && !$0.isNaN) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// Loki's `extrapolatedRate` for counters (Prometheus' rate with the
    /// window's own edges): resets add the value before them, the result
    /// is extrapolated towards the edges, then divided by the range.
    static func counterRate(_ samples: [LogSample], rangeStart: Int64, rangeEnd: Int64, rangeSeconds: Double) -> Double {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return 0 }
        var result = last.value - first.value
        var previous = 0.0
        for sample in samples {
            if sample.value < previous { result += previous }
            previous = sample.value
        }
        var durationToStart = Double(first.time - rangeStart) / 1e9
        var durationToEnd = Double(rangeEnd - last.time) / 1e9
        let sampled = Double(last.time - first.time) / 1e9
        let average = sampled / Double(samples.count - 1)
        let threshold = average * 1.1
        if durationToStart >= threshold { durationToStart = average / 2 }
        var durationToZero = durationToStart
        if result > 0, first.value >= 0 { durationToZero = sampled * (first.value / result) }
        if durationToZero < durationToStart { durationToStart = durationToZero }
        if durationToEnd >= threshold { durationToEnd = average / 2 }
        guard sampled > 0 else { return 0 }
        return result * ((sampled + durationToStart + durationToEnd) / sampled) / rangeSeconds
    }
}
