import TributaryModel

extension Evaluator {
    /// Evaluates an anomaly function. Arguments: the range vector, then the
    /// sensitivity for `anomaly_upper`/`anomaly_lower`, then optionally the
    /// seasonal period in seconds (0: none); without it the period (a day
    /// or a week) is detected per series from the points loaded, and only
    /// when the range holds two periods.
    func anomalyFunction(_ function: AnomalyFunction, _ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        let name = function.rawValue
        let matrix = try argument(arguments, 0, of: name)
        var next = 1
        var sensitivities: [Double]?
        if function.takesSensitivity {
            let values = try evalScalar(try argument(arguments, 1, of: name), grid)
            if let bad = values.first(where: { !($0.isFinite && $0 > 0) }) {
                throw QueryEvaluationError("\(name)(): the sensitivity must be a positive number of robust standard deviations such as 3, got \(Evaluator.format(bad))")
            }
            sensitivities = values
            next = 2
        }
        var configuredPeriod: Int64??
        if next < arguments.count {
            let seconds = try evalScalar(arguments[next], grid).first ?? 0
            guard seconds.isFinite, seconds >= 0, seconds <= 31_622_400 * 10 else {
                throw QueryEvaluationError("\(name)(): the period must be 0 (no seasonality) or a number of seconds such as 86400 (daily), got \(Evaluator.format(seconds))")
            }
            configuredPeriod = .some(seconds == 0 ? nil : Int64(seconds * 1e9))
        }
        let input = try rangeInput(matrix, grid)
        if let configuredPeriod, let period = configuredPeriod, input.range / Swift.max(1, period) > BaselineEstimator.maximumCycles {
            throw QueryEvaluationError("\(name)(): a period of \(Evaluator.format(Double(period) / 1e9))s repeats more than \(BaselineEstimator.maximumCycles) times in the range: use a longer period or a shorter range")
        }
        try reserve(series: input.series.count, grid)
        var output: [StepSeries] = []
        for series in input.series {
            let timestamps = series.timestamps, values = series.values
            guard !timestamps.isEmpty else { continue }
            let period: Int64?
            if let configuredPeriod {
                period = configuredPeriod
            } else {
                let detector = SeasonalityDetector(candidates: [SeasonalityDetector.day, SeasonalityDetector.week].filter { $0 <= input.range / 2 })
                period = detector.detect(timestamps: timestamps, values: values)
            }
            let estimator = BaselineEstimator(history: input.range, period: period)
            // Without a period the reference slides forward with the steps:
            // kept sorted instead of sorted again at every step.
            var sliding = SlidingReference()
            var added = 0, removed = 0
            var result = [Double](repeating: StepSeries.absent, count: grid.count)
            var any = false
            var upper = 0
            for step in 0..<grid.count {
                let end = input.windowEnd(at: grid.time(step))
                let start = end &- input.range
                while upper < timestamps.count, timestamps[upper] <= end { upper += 1 }
                // The judged point: the last one in (start, end].
                guard upper > 0, timestamps[upper - 1] > start else { continue }
                let judged = upper - 1
                let estimate: BaselineEstimate?
                if period == nil, added <= judged {
                    while added < judged {
                        sliding.add(values[added])
                        added += 1
                    }
                    while removed < added, timestamps[removed] <= start {
                        sliding.remove(values[removed])
                        removed += 1
                    }
                    if sliding.count >= estimator.minimumSamples, let (median, spread) = sliding.locationAndSpread() {
                        estimate = BaselineEstimate(baseline: median, spread: spread, samples: sliding.count, period: nil)
                    } else {
                        estimate = nil
                    }
                } else {
                    // The reference reaches back `range` from the window's end, not from the judged point.
                    var windowed = estimator
                    windowed.history = timestamps[judged] &- start
                    estimate = windowed.estimate(timestamps: timestamps, values: values, at: timestamps[judged])
                }
                guard let estimate else { continue }
                let value: Double
                switch function {
                case .baseline: value = estimate.baseline
                case .upper: value = estimate.upper(sensitivity: sensitivities?[step] ?? 3)
                case .lower: value = estimate.lower(sensitivity: sensitivities?[step] ?? 3)
                case .score: value = estimate.score(of: values[judged])
                }
                result[step] = value
                any = true
            }
            if any { output.append(StepSeries(labels: series.labels, values: result, dropName: true)) }
        }
        try charge(output.reduce(0) { $0 + $1.presentCount })
        return .vector(output)
    }
}
