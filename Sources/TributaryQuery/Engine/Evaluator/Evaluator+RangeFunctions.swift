import TributaryModel

extension Evaluator {
    func rangeFunction(_ function: RangeFunction, _ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        let rangeIndex = function.rangeArgument
        guard rangeIndex < arguments.count else { throw QueryEvaluationError("\(function.rawValue)() needs a range vector argument") }
        var scalars: [[Double]] = []
        for (index, argument) in arguments.enumerated() where index != rangeIndex {
            scalars.append(try evalScalar(argument, grid))
        }
        let input = try rangeInput(arguments[rangeIndex], grid)
        if function == .absentOverTime {
            return absentOverTime(input, arguments[rangeIndex], grid)
        }
        if function == .quantileOverTime, !input.series.isEmpty,
           let bad = scalars[0].first(where: { $0.isNaN || $0 < 0 || $0 > 1 }) {
            annotations.warn("quantile value should be between 0 and 1, got \(Evaluator.format(bad))")
        }
        if function == .doubleExponentialSmoothing, !input.series.isEmpty, scalars.count == 2 {
            if let bad = scalars[0].first(where: { !($0 > 0 && $0 < 1) }) {
                throw QueryEvaluationError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(Evaluator.fixed6(bad))")
            }
            if let bad = scalars[1].first(where: { !($0 > 0 && $0 < 1) }) {
                throw QueryEvaluationError("invalid trend factor. Expected: 0 < tf < 1, got: \(Evaluator.fixed6(bad))")
            }
        }
        try reserve(series: input.series.count, grid)
        let rangeSeconds = Double(input.range) / 1e9
        var output: [StepSeries] = []
        output.reserveCapacity(input.series.count)
        for series in input.series {
            let timestamps = series.timestamps
            let values = series.values
            let count = timestamps.count
            guard count > 0 else { continue }
            // corrections[i]: the values lost to counter resets up to sample i.
            var corrections: [Double] = []
            if function.readsCounterResets {
                corrections = [Double](repeating: 0, count: count)
                var total = 0.0
                for index in 1..<max(count, 1) {
                    if values[index] < values[index - 1] { total += values[index - 1] }
                    corrections[index] = total
                }
            }
            var result = [Double](repeating: StepSeries.absent, count: grid.count)
            var any = false
            var lower = 0, upper = 0
            for step in 0..<grid.count {
                let time = grid.time(step)
                let end = input.windowEnd(at: time)
                let start = end &- input.range
                while upper < count, timestamps[upper] <= end { upper += 1 }
                while lower < upper, timestamps[lower] <= start { lower += 1 }
                guard lower < upper else { continue }
                let window = Window(timestamps: timestamps, values: values, lower: lower, upper: upper, start: start, end: end)
                let value: Double?
                switch function {
                case .rate, .increase, .delta:
                    value = window.extrapolatedRate(isCounter: function != .delta, isRate: function == .rate,
                                                    rangeSeconds: rangeSeconds, corrections: corrections)
                case .irate: value = window.instantValue(isRate: true)
                case .idelta: value = window.instantValue(isRate: false)
                case .deriv:
                    value = upper - lower < 2 ? nil : window.linearRegression(interceptTime: timestamps[lower]).slope
                case .predictLinear:
                    if upper - lower < 2 {
                        value = nil
                    } else {
                        let (slope, intercept) = window.linearRegression(interceptTime: time)
                        value = slope * scalars[0][step] + intercept
                    }
                case .doubleExponentialSmoothing:
                    value = window.doubleExponentialSmoothing(smoothing: scalars[0][step], trend: scalars[1][step])
                case .changes: value = window.changes
                case .resets: value = window.resets
                case .avgOverTime: value = window.average
                case .sumOverTime: value = window.sum
                case .countOverTime: value = Double(upper - lower)
                case .minOverTime: value = window.extreme(greater: false).value
                case .maxOverTime: value = window.extreme(greater: true).value
                case .tsOfMinOverTime: value = Evaluator.seconds(window.extreme(greater: false).time)
                case .tsOfMaxOverTime: value = Evaluator.seconds(window.extreme(greater: true).time)
                case .stddevOverTime: value = window.variance.squareRoot()
                case .stdvarOverTime: value = window.variance
                case .lastOverTime: value = values[upper - 1]
                case .firstOverTime: value = values[lower]
                case .tsOfLastOverTime: value = Evaluator.seconds(timestamps[upper - 1])
                case .tsOfFirstOverTime: value = Evaluator.seconds(timestamps[lower])
                case .presentOverTime: value = 1
                case .quantileOverTime: value = Quantile.of(scalars[0][step], Array(values[lower..<upper]))
                case .madOverTime: value = window.medianAbsoluteDeviation
                case .absentOverTime: value = nil
                }
                if let value {
                    result[step] = value
                    any = true
                }
            }
            guard any else { continue }
            if function.readsCounterResets, let name = series.labels.metricName, !name.isEmpty,
               !name.hasSuffix("_total"), !name.hasSuffix("_sum"), !name.hasSuffix("_count"), !name.hasSuffix("_bucket") {
                annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"\(Labels.escape(name))\"")
            }
            output.append(StepSeries(labels: series.labels, values: result, dropName: series.dropName || !function.keepsName))
        }
        try charge(output.reduce(0) { $0 + $1.presentCount })
        return .vector(output)
    }

    private func absentOverTime(_ input: RangeInput, _ argument: QueryExpr, _ grid: StepGrid) -> EvalValue {
        var values = [Double](repeating: 1, count: grid.count)
        for series in input.series {
            var lower = 0, upper = 0
            let timestamps = series.timestamps
            for step in 0..<grid.count {
                let end = input.windowEnd(at: grid.time(step))
                let start = end &- input.range
                while upper < timestamps.count, timestamps[upper] <= end { upper += 1 }
                while lower < upper, timestamps[lower] <= start { lower += 1 }
                if lower < upper { values[step] = StepSeries.absent }
            }
        }
        if values.allSatisfy(StepSeries.isAbsent) { return .vector([]) }
        return .vector([StepSeries(labels: Evaluator.absentLabels(argument), values: values, dropName: true)])
    }

    /// Go's `%f`.
    static func fixed6(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        guard abs(value) < 1e12 else { return "\(value)" }
        let scaled = (abs(value) * 1_000_000).rounded()
        let whole = Int64(scaled / 1_000_000)
        let fraction = Int64(scaled.truncatingRemainder(dividingBy: 1_000_000))
        let digits = String(fraction)
        return (value < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
