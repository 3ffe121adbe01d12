import TributaryModel

/// Evaluates a `MetricQuery` over a range of steps, following Prometheus.
///
/// The evaluator is pure: it reads samples only through the `fetch` closure
/// and keeps no state between calls. Work is done one series at a time with
/// a moving window of sample indices, so memory is the fetched samples plus
/// the output, never a table of every series at every step.
public struct MetricEvaluator: Sendable {
    /// Prometheus' default lookback for instant selectors: 5 minutes.
    public var lookback: Int64 = 300_000_000_000
    /// Refuse (start, end, step) giving more output points per series, like Prometheus.
    public var maxPoints = 11_000

    public init(lookback: Int64 = 300_000_000_000) {
        self.lookback = lookback
    }

    /// Evaluates `query` at start, start+step, … ≤ end (all ns).
    ///
    /// `fetch(metricName, matchers, from, to)` returns the raw stored series
    /// whose `__name__` is metricName and whose labels match, each once, with
    /// points in [from, to] in ascending time order. The evaluator asks for
    /// the window it needs: from `start - lookback` for a selector, from
    /// `start - range` for a range function, to `end`.
    ///
    /// The result is sorted by the labels' description and holds only series
    /// with at least one point; a point exists only at steps with a value.
    public func evaluate(
        _ query: MetricQuery, start: Int64, end: Int64, step: Int64,
        fetch: (String, [LabelMatcher], Int64, Int64) throws -> [MetricSeries]
    ) throws -> [MetricSeries] {
        guard step > 0 else { throw MetricEvaluationError.nonPositiveStep(step) }
        guard end >= start else { throw MetricEvaluationError.endBeforeStart(start: start, end: end) }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        // Compare the step count before adding one, so a span of Int64.max at step 1 cannot overflow.
        guard !overflow, maxPoints > 0, span / step < Int64(maxPoints) else {
            throw MetricEvaluationError.tooManyPoints(start: start, end: end, step: step, limit: maxPoints)
        }
        let steps = Steps(start: start, step: step, count: Int(span / step) + 1)
        let result = try evaluate(query, steps, end: end, fetch: fetch)
        return result
            .map { (key: $0.labels.description, series: $0) }
            .sorted { $0.key < $1.key }
            .map(\.series)
    }

    /// The output times start, start + step, … (count of them).
    private struct Steps {
        let start: Int64
        let step: Int64
        let count: Int

        func time(_ index: Int) -> Int64 { start + Int64(index) * step }
        /// The index of `time`, which must be one of the steps.
        func index(_ time: Int64) -> Int { Int((time - start) / step) }
    }

    /// Unsorted results without empty series.
    private func evaluate(
        _ query: MetricQuery, _ steps: Steps, end: Int64,
        fetch: (String, [LabelMatcher], Int64, Int64) throws -> [MetricSeries]
    ) throws -> [MetricSeries] {
        switch query {
        case .selector(let metric, let matchers):
            let raw = try fetch(metric, matchers, Self.subtract(steps.start, lookback), end)
            return raw.compactMap { select($0, steps) }
        case .range(let function, let metric, let matchers, let milliseconds):
            let (product, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            let range = overflow ? Int64.max : product
            let raw = try fetch(metric, matchers, Self.subtract(steps.start, range), end)
            return raw.compactMap { Self.apply(function, range: range, to: $0, steps) }
        case .aggregate(let aggregation, let by, let inner):
            let series = try evaluate(inner, steps, end: end, fetch: fetch)
            return Self.aggregate(aggregation, by: by, series, steps)
        }
    }

    // MARK: Selectors

    /// The latest sample in (t - lookback, t] at each step t.
    private func select(_ series: MetricSeries, _ steps: Steps) -> MetricSeries? {
        let timestamps = series.timestamps
        let count = min(timestamps.count, series.values.count)
        var output = MetricSeries(labels: series.labels, timestamps: [], values: [])
        var next = 0  // the first sample after the current step
        for index in 0..<steps.count {
            let time = steps.time(index)
            while next < count, timestamps[next] <= time { next += 1 }
            guard next > 0, timestamps[next - 1] > Self.subtract(time, lookback) else { continue }
            output.timestamps.append(time)
            output.values.append(series.values[next - 1])
        }
        return output.timestamps.isEmpty ? nil : output
    }

    // MARK: Range functions

    /// `function` over the samples in (t - range, t] at each step t; the
    /// output drops `__name__`, as Prometheus does for every function.
    private static func apply(_ function: MetricQuery.RangeFunction, range: Int64, to series: MetricSeries, _ steps: Steps) -> MetricSeries? {
        let timestamps = series.timestamps
        let count = min(timestamps.count, series.values.count)
        let labels = Labels(sortedUnchecked: series.labels.pairs.filter { $0.name != "__name__" })
        var output = MetricSeries(labels: labels, timestamps: [], values: [])
        var lower = 0  // the first sample inside the window
        var upper = 0  // the first sample after the window
        for index in 0..<steps.count {
            let time = steps.time(index)
            let windowStart = subtract(time, range)
            while upper < count, timestamps[upper] <= time { upper += 1 }
            while lower < upper, timestamps[lower] <= windowStart { lower += 1 }
            let window = lower..<upper
            let value: Double?
            switch function {
            case .rate: value = extrapolatedRate(series, window, time: time, range: range, isRate: true)
            case .increase: value = extrapolatedRate(series, window, time: time, range: range, isRate: false)
            case .avgOverTime: value = overTime(.avg, series.values[window])
            case .minOverTime: value = overTime(.min, series.values[window])
            case .maxOverTime: value = overTime(.max, series.values[window])
            case .sumOverTime: value = overTime(.sum, series.values[window])
            case .countOverTime: value = overTime(.count, series.values[window])
            }
            guard let value else { continue }
            output.timestamps.append(time)
            output.values.append(value)
        }
        return output.timestamps.isEmpty ? nil : output
    }

    private static func overTime(_ operation: MetricQuery.Aggregation, _ values: ArraySlice<Double>) -> Double? {
        guard !values.isEmpty else { return nil }
        var accumulator = Accumulator()
        for value in values { accumulator.add(value, operation) }
        return accumulator.result(operation)
    }

    /// Prometheus' `extrapolatedRate` for counters (promql/functions.go).
    ///
    /// The increase between the first and last sample, plus the value before
    /// each counter reset, is scaled from the sampled interval out to the
    /// window's edges. An edge is reached only if the sample nearest to it is
    /// within 1.1 average intervals; otherwise the series is taken to start or
    /// end half an interval beyond its outermost sample. The start is never
    /// extrapolated past the time the counter would have been zero.
    private static func extrapolatedRate(_ series: MetricSeries, _ window: Range<Int>, time: Int64, range: Int64, isRate: Bool) -> Double? {
        guard window.count >= 2 else { return nil }
        let values = series.values
        let first = window.lowerBound
        let last = window.upperBound - 1
        var result = values[last] - values[first]
        var previous = values[first]
        for value in values[(first + 1)...last] {
            if value < previous { result += previous }
            previous = value
        }

        let firstTime = series.timestamps[first]
        let lastTime = series.timestamps[last]
        var durationToStart = seconds(firstTime, minus: subtract(time, range))
        var durationToEnd = seconds(time, minus: lastTime)
        let sampledInterval = seconds(lastTime, minus: firstTime)
        let averageDurationBetweenSamples = sampledInterval / Double(window.count - 1)
        let extrapolationThreshold = averageDurationBetweenSamples * 1.1

        if durationToStart >= extrapolationThreshold {
            durationToStart = averageDurationBetweenSamples / 2
        }
        if result > 0, values[first] >= 0 {
            let durationToZero = sampledInterval * (values[first] / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= extrapolationThreshold {
            durationToEnd = averageDurationBetweenSamples / 2
        }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= Double(range) / 1e9 }
        return result * factor
    }

    // MARK: Aggregations

    /// `aggregation by (labels)` at each step over the series with a point
    /// there. Groups keep only the listed labels a series has (an empty list
    /// makes one group with no labels). Points of `series` lie on the steps,
    /// so each group needs one accumulator per step and nothing per series.
    private static func aggregate(_ aggregation: MetricQuery.Aggregation, by names: [String], _ series: [MetricSeries], _ steps: Steps) -> [MetricSeries] {
        let kept = Set(names)
        var groupIndex: [Labels: Int] = [:]
        var groups: [(labels: Labels, cells: [Accumulator])] = []
        for member in series {
            // Filtering sorted, unique pairs keeps them sorted and unique.
            let labels = Labels(sortedUnchecked: member.labels.pairs.filter { kept.contains($0.name) })
            let group: Int
            if let existing = groupIndex[labels] {
                group = existing
            } else {
                group = groups.count
                groupIndex[labels] = group
                groups.append((labels, Array(repeating: Accumulator(), count: steps.count)))
            }
            for (time, value) in zip(member.timestamps, member.values) {
                groups[group].cells[steps.index(time)].add(value, aggregation)
            }
        }
        return groups.map { group in
            var output = MetricSeries(labels: group.labels, timestamps: [], values: [])
            for (index, cell) in group.cells.enumerated() where cell.count > 0 {
                output.timestamps.append(steps.time(index))
                output.values.append(cell.result(aggregation))
            }
            return output
        }
    }

    /// Running sum, mean, minimum, maximum or count, computed as Prometheus
    /// does so results agree to the last bit: Kahan–Neumaier compensated
    /// sums, and for the mean a plain sum that switches to an incremental
    /// mean only once the sum would overflow.
    private struct Accumulator {
        private(set) var count = 0.0
        /// The sum, minimum or maximum; the mean once `incrementalMean`.
        private var value = 0.0
        private var compensation = 0.0
        private var incrementalMean = false

        mutating func add(_ sample: Double, _ operation: MetricQuery.Aggregation) {
            count += 1
            switch operation {
            case .count:
                break
            case .min:
                // A NaN is replaced by any later number, as in Prometheus.
                if count == 1 || sample < value || value.isNaN { value = sample }
            case .max:
                if count == 1 || sample > value || value.isNaN { value = sample }
            case .sum:
                (value, compensation) = Self.kahanSumInc(sample, value, compensation)
            case .avg:
                if !incrementalMean {
                    let (sum, newCompensation) = Self.kahanSumInc(sample, value, compensation)
                    if count == 1 || !sum.isInfinite {
                        (value, compensation) = (sum, newCompensation)
                        return
                    }
                    incrementalMean = true
                    value /= count - 1
                    compensation /= count - 1
                }
                let keep = (count - 1) / count
                (value, compensation) = Self.kahanSumInc(sample / count, keep * value, keep * compensation)
            }
        }

        func result(_ operation: MetricQuery.Aggregation) -> Double {
            switch operation {
            case .count: return count
            case .min, .max: return value
            case .sum: return value + compensation
            case .avg: return incrementalMean ? value + compensation : value / count + compensation / count
            }
        }

        private static func kahanSumInc(_ increment: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
            let total = sum + increment
            if total.isInfinite { return (total, 0) }
            // Neumaier's improvement: take the rounding error of the smaller term.
            if abs(sum) >= abs(increment) { return (total, compensation + ((sum - total) + increment)) }
            return (total, compensation + ((increment - total) + sum))
        }
    }

    // MARK: Time arithmetic

    /// `time - duration`, clamped to the representable range, for window
    /// starts near the beginning of time or with absurdly long ranges.
    private static func subtract(_ time: Int64, _ duration: Int64) -> Int64 {
        let (difference, overflow) = time.subtractingReportingOverflow(duration)
        guard overflow else { return difference }
        return duration > 0 ? Int64.min : Int64.max
    }

    /// `later - earlier` in seconds. The difference is taken in integers first:
    /// a present-day timestamp as a Double is only exact to 256 ns.
    private static func seconds(_ later: Int64, minus earlier: Int64) -> Double {
        let (difference, overflow) = later.subtractingReportingOverflow(earlier)
        return overflow ? (Double(later) - Double(earlier)) / 1e9 : Double(difference) / 1e9
    }
}
