import TributaryModel

extension Evaluator {
    /// The series of `selector`, sorted by labels.
    func fetch(_ selector: VectorSelector, from: Int64, to: Int64) throws -> [MetricSeries] {
        guard from <= to else { return [] }
        let series = try source.series(matching: selector.matchers, from: from, to: to)
        return series.sorted { Labels.compare($0.labels, $1.labels) < 0 }
    }

    /// An instant selector at every step: the latest sample in
    /// (t − lookback, t] where t = (@ ?? step) − offset, absent when that
    /// sample is a stale marker. With `sampleTimes`, the value is the
    /// sample's own time in seconds (what `timestamp()` reports).
    func selectInstant(_ selector: VectorSelector, _ grid: StepGrid, sampleTimes: Bool = false) throws -> [StepSeries] {
        let at = resolve(selector.at)
        let firstReference = try Evaluator.subtract(at ?? grid.start, selector.offset)
        let lastReference = try Evaluator.subtract(at ?? grid.end, selector.offset)
        let from = Evaluator.windowStart(firstReference, lookback)
        let raw = try fetch(selector, from: from, to: lastReference)
        try reserve(series: raw.count, grid)
        var output: [StepSeries] = []
        output.reserveCapacity(raw.count)
        for series in raw {
            var values = [Double](repeating: StepSeries.absent, count: grid.count)
            let timestamps = series.timestamps
            let count = min(timestamps.count, series.values.count)
            var next = 0  // the first sample after the reference time
            var any = false
            for step in 0..<grid.count {
                let reference = (at ?? grid.time(step)) &- selector.offset
                while next < count, timestamps[next] <= reference { next += 1 }
                guard next > 0, timestamps[next - 1] > reference &- lookback else { continue }
                let value = series.values[next - 1]
                guard !StaleMarker.isStale(value) else { continue }
                values[step] = sampleTimes ? Evaluator.seconds(timestamps[next - 1]) : value
                any = true
            }
            if any { output.append(StepSeries(labels: series.labels, values: values)) }
        }
        return output
    }

    /// ns to seconds without losing the milliseconds of large times.
    static func seconds(_ nanoseconds: Int64) -> Double {
        Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9
    }

    /// The argument of a range function: a range selector or a subquery.
    func rangeInput(_ expr: QueryExpr, _ grid: StepGrid) throws -> RangeInput {
        switch expr {
        case .parenthesized(let inner):
            return try rangeInput(inner, grid)
        case .matrix(let selector, let range):
            let at = resolve(selector.at)
            let lastEnd = try Evaluator.subtract(at ?? grid.end, selector.offset)
            let firstEnd = try Evaluator.subtract(at ?? grid.start, selector.offset)
            let from = Evaluator.windowStart(firstEnd, range)
            let raw = try fetch(selector, from: from, to: lastEnd)
            var series: [RangeSeries] = []
            series.reserveCapacity(raw.count)
            for one in raw {
                var timestamps = one.timestamps
                var values = one.values
                if values.count != timestamps.count {
                    let count = min(values.count, timestamps.count)
                    timestamps.removeSubrange(count...)
                    values.removeSubrange(count...)
                }
                if values.contains(where: StaleMarker.isStale) {
                    var keptTimes: [Int64] = []
                    var keptValues: [Double] = []
                    for index in values.indices where !StaleMarker.isStale(values[index]) {
                        keptTimes.append(timestamps[index])
                        keptValues.append(values[index])
                    }
                    timestamps = keptTimes
                    values = keptValues
                }
                series.append(RangeSeries(labels: one.labels, timestamps: timestamps, values: values, dropName: false))
            }
            return RangeInput(series: series, range: range, offset: selector.offset, at: at)
        case .subquery(let subquery):
            let at = resolve(subquery.at)
            let step = subquery.step ?? defaultSubqueryStep
            guard step > 0 else { throw QueryEvaluationError("zero or negative subquery step") }
            let outerStart = at ?? grid.start
            let outerEnd = at ?? grid.end
            let lowest = try Evaluator.subtract(try Evaluator.subtract(outerStart, subquery.offset), subquery.range)
            // The first multiple of the step after `lowest` (Go's truncating division, as Prometheus).
            var innerStart = step * (lowest / step)
            if innerStart <= lowest { innerStart += step }
            let innerEnd = try Evaluator.subtract(outerEnd, subquery.offset)
            var series: [RangeSeries] = []
            if innerEnd >= innerStart {
                let count = (innerEnd - innerStart) / step + 1
                guard count <= Int64(maxSamples) else { throw QueryEvaluationError.tooManySamples }
                let inner = StepGrid(start: innerStart, step: step, count: Int(count))
                let value = try eval(subquery.expr, inner)
                let innerSeries: [StepSeries]
                switch value {
                case .vector(let vector): innerSeries = vector
                case .scalar(let values): innerSeries = [StepSeries(labels: .empty, values: values)]
                default: throw QueryEvaluationError("subquery is only allowed on instant vector")
                }
                release(Evaluator.points(value))
                for one in innerSeries {
                    var timestamps: [Int64] = []
                    var values: [Double] = []
                    for index in one.values.indices where !StepSeries.isAbsent(one.values[index]) {
                        timestamps.append(inner.time(index))
                        values.append(one.values[index])
                    }
                    if !timestamps.isEmpty {
                        series.append(RangeSeries(labels: one.labels, timestamps: timestamps, values: values, dropName: one.dropName))
                    }
                }
            }
            return RangeInput(series: series, range: subquery.range, offset: subquery.offset, at: at)
        default:
            throw QueryEvaluationError("expected a range vector (a range selector such as x[5m] or a subquery)")
        }
    }
}
