import TributaryModel

extension Evaluator {
    /// The buckets of each classic histogram in `input`: series grouped by
    /// their labels without `le`, each bucket's bound parsed once.
    private func bucketGroups(_ input: [StepSeries]) -> [(labels: Labels, members: [(series: Int, bound: Double)])] {
        var index: [Labels: Int] = [:]
        var groups: [(labels: Labels, members: [(series: Int, bound: Double)])] = []
        for (position, series) in input.enumerated() {
            let text = series.labels["le"] ?? ""
            guard let bound = Evaluator.parseBound(text) else {
                if !series.isEmpty {
                    var message = "bucket label \"le\" is missing or has a malformed value of \"\(Labels.escape(text))\""
                    if let name = series.labels.metricName { message += " for metric name \"\(Labels.escape(name))\"" }
                    annotations.warn(message)
                }
                continue
            }
            let key = series.labels.removing(["le"])
            if let known = index[key] {
                groups[known].members.append((position, bound))
            } else {
                index[key] = groups.count
                groups.append((key, [(position, bound)]))
            }
        }
        return groups
    }

    /// Go's `strconv.ParseFloat` for the bounds Prometheus writes.
    static func parseBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return text.isEmpty ? nil : Double(text)
        }
    }

    func histogramQuantile(_ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        guard arguments.count == 2 else { throw QueryEvaluationError("histogram_quantile() takes 2 arguments") }
        let q = try evalScalar(arguments[0], grid)
        if q.contains(where: { $0.isNaN || $0 < 0 || $0 > 1 }), let bad = q.first(where: { $0.isNaN || $0 < 0 || $0 > 1 }) {
            annotations.warn("quantile value should be between 0 and 1, got \(Evaluator.format(bad))")
        }
        let input = try evalVector(arguments[1], grid)
        defer { release(input.reduce(0) { $0 + $1.presentCount }) }
        var output: [StepSeries] = []
        for group in bucketGroups(input) {
            var values = [Double](repeating: StepSeries.absent, count: grid.count)
            var buckets: [ClassicHistogram.Bucket] = []
            for step in 0..<grid.count {
                buckets.removeAll(keepingCapacity: true)
                for member in group.members {
                    let f = input[member.series].values[step]
                    if !StepSeries.isAbsent(f) { buckets.append(.init(upperBound: member.bound, count: f)) }
                }
                guard !buckets.isEmpty else { continue }
                let (value, forced) = ClassicHistogram.quantile(q[step], buckets)
                if forced {
                    var message = "input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                    if let name = group.labels.metricName { message += " for metric name \"\(Labels.escape(name))\"" }
                    annotations.info(message)
                }
                values[step] = value
            }
            if !values.allSatisfy(StepSeries.isAbsent) {
                output.append(StepSeries(labels: group.labels, values: values, dropName: true))
            }
        }
        try charge(output.reduce(0) { $0 + $1.presentCount })
        return .vector(output)
    }

    func histogramFraction(_ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        guard arguments.count == 3 else { throw QueryEvaluationError("histogram_fraction() takes 3 arguments") }
        let lower = try evalScalar(arguments[0], grid)
        let upper = try evalScalar(arguments[1], grid)
        let input = try evalVector(arguments[2], grid)
        defer { release(input.reduce(0) { $0 + $1.presentCount }) }
        var output: [StepSeries] = []
        for group in bucketGroups(input) {
            var values = [Double](repeating: StepSeries.absent, count: grid.count)
            var buckets: [ClassicHistogram.Bucket] = []
            for step in 0..<grid.count {
                buckets.removeAll(keepingCapacity: true)
                for member in group.members {
                    let f = input[member.series].values[step]
                    if !StepSeries.isAbsent(f) { buckets.append(.init(upperBound: member.bound, count: f)) }
                }
                guard !buckets.isEmpty else { continue }
                values[step] = ClassicHistogram.fraction(lower[step], upper[step], buckets)
            }
            if !values.allSatisfy(StepSeries.isAbsent) {
                output.append(StepSeries(labels: group.labels, values: values, dropName: true))
            }
        }
        try charge(output.reduce(0) { $0 + $1.presentCount })
        return .vector(output)
    }
}
