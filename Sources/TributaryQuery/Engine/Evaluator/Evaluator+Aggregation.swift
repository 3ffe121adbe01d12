import TributaryModel

extension Evaluator {
    func aggregate(_ expr: AggregateExpr, _ grid: StepGrid) throws -> EvalValue {
        var parameter: [Double] = []
        var valueLabel = ""
        if expr.op == .countValues {
            guard let argument = expr.parameter else { throw QueryEvaluationError("count_values needs a label name") }
            valueLabel = try stringArgument(argument)
            guard Label.isValidName(valueLabel) else { throw QueryEvaluationError("invalid label name \"\(valueLabel)\"") }
        } else if expr.op.takesParameter {
            guard let argument = expr.parameter else { throw QueryEvaluationError("\(expr.op.rawValue) needs a parameter") }
            parameter = try evalScalar(argument, grid)
        }
        let input = try evalVector(expr.expr, grid)
        defer { release(input.reduce(0) { $0 + $1.presentCount }) }
        let output: [StepSeries]
        switch expr.op {
        case .countValues:
            output = try countValues(expr, valueLabel, input, grid)
        case .topk, .bottomk, .limitk:
            output = try selectK(expr, parameter, input, grid)
        case .limitRatio:
            throw QueryEvaluationError("limit_ratio is not supported")
        default:
            output = try accumulate(expr, parameter, input, grid)
        }
        try charge(output.reduce(0) { $0 + $1.presentCount })
        return .vector(output)
    }

    /// Group of each input series and the labels of each group, in order of first appearance.
    private func groups(_ expr: AggregateExpr, _ input: [StepSeries]) -> (ofSeries: [Int], labels: [Labels]) {
        var keys: [Labels: Int] = [:]
        var labels: [Labels] = []
        var ofSeries: [Int] = []
        ofSeries.reserveCapacity(input.count)
        for series in input {
            let groupLabels = Evaluator.groupingLabels(series.labels, expr.grouping, without: expr.without)
            if let known = keys[groupLabels] {
                ofSeries.append(known)
            } else {
                keys[groupLabels] = labels.count
                ofSeries.append(labels.count)
                labels.append(groupLabels)
            }
        }
        return (ofSeries, labels)
    }

    static func groupingLabels(_ labels: Labels, _ grouping: [String], without: Bool) -> Labels {
        if without {
            return Labels(sortedUnchecked: labels.pairs.filter { !grouping.contains($0.name) && $0.name != Labels.metricName })
        }
        return grouping.isEmpty ? .empty : labels.keeping(grouping)
    }

    /// sum, avg, min, max, group, count, stddev, stdvar, quantile: one
    /// accumulator per group and step, fed series by series.
    private func accumulate(_ expr: AggregateExpr, _ parameter: [Double], _ input: [StepSeries], _ grid: StepGrid) throws -> [StepSeries] {
        let (ofSeries, groupLabels) = groups(expr, input)
        let steps = grid.count
        let cells = groupLabels.count * steps
        var value = [Double](repeating: 0, count: cells)
        var compensation = [Double](repeating: 0, count: cells)
        var mean = [Double](repeating: 0, count: cells)
        var count = [Double](repeating: 0, count: cells)
        var incremental = [Bool](repeating: false, count: expr.op == .avg ? cells : 0)
        var quantileValues = [[Double]](repeating: [], count: expr.op == .quantile ? cells : 0)
        var dropName = [Bool](repeating: false, count: groupLabels.count)

        if expr.op == .quantile {
            let known = parameter.filter { !$0.isNaN }
            if known.count != parameter.count { annotations.warn("quantile value should be between 0 and 1, got NaN") }
            if let highest = known.max(), highest > 1 { annotations.warn("quantile value should be between 0 and 1, got \(Evaluator.format(highest))") }
            if let lowest = known.min(), lowest < 0 { annotations.warn("quantile value should be between 0 and 1, got \(Evaluator.format(lowest))") }
        }

        for (seriesIndex, series) in input.enumerated() {
            let group = ofSeries[seriesIndex]
            if series.dropName { dropName[group] = true }
            let base = group * steps
            for step in 0..<steps {
                let f = series.values[step]
                guard !StepSeries.isAbsent(f) else { continue }
                let cell = base + step
                count[cell] += 1
                let n = count[cell]
                if n == 1 {
                    switch expr.op {
                    case .stddev, .stdvar:
                        value[cell] = f.isNaN || f.isInfinite ? .nan : 0
                        mean[cell] = f
                    case .group: value[cell] = 1
                    case .quantile: quantileValues[cell].append(f)
                    default:
                        value[cell] = f
                        mean[cell] = f
                    }
                    continue
                }
                switch expr.op {
                case .sum:
                    (value[cell], compensation[cell]) = KahanSum.add(f, value[cell], compensation[cell])
                case .avg:
                    if !incremental[cell] {
                        let (sum, c) = KahanSum.add(f, value[cell], compensation[cell])
                        if !sum.isInfinite {
                            value[cell] = sum
                            compensation[cell] = c
                            continue
                        }
                        incremental[cell] = true
                        mean[cell] = value[cell] / (n - 1)
                        compensation[cell] /= n - 1
                    }
                    let q = (n - 1) / n
                    (mean[cell], compensation[cell]) = KahanSum.add(f / n, q * mean[cell], q * compensation[cell])
                case .max:
                    if value[cell] < f || value[cell].isNaN { value[cell] = f }
                case .min:
                    if value[cell] > f || value[cell].isNaN { value[cell] = f }
                case .stddev, .stdvar:
                    let delta = f - mean[cell]
                    mean[cell] += delta / n
                    value[cell] += delta * (f - mean[cell])
                case .quantile:
                    quantileValues[cell].append(f)
                default:
                    break
                }
            }
        }

        var output: [StepSeries] = []
        for (group, labels) in groupLabels.enumerated() {
            var values = [Double](repeating: StepSeries.absent, count: steps)
            var any = false
            for step in 0..<steps {
                let cell = group * steps + step
                let n = count[cell]
                guard n > 0 else { continue }
                any = true
                switch expr.op {
                case .sum: values[step] = value[cell] + compensation[cell]
                case .avg:
                    if incremental[cell] {
                        values[step] = mean[cell] + compensation[cell]
                    } else {
                        values[step] = value[cell] / n + compensation[cell] / n
                    }
                case .count: values[step] = n
                case .stdvar: values[step] = value[cell] / n
                case .stddev: values[step] = (value[cell] / n).squareRoot()
                case .quantile: values[step] = Quantile.of(parameter[step], quantileValues[cell])
                default: values[step] = value[cell]
                }
            }
            if any { output.append(StepSeries(labels: labels, values: values, dropName: dropName[group])) }
        }
        return output
    }

    private func countValues(_ expr: AggregateExpr, _ valueLabel: String, _ input: [StepSeries], _ grid: StepGrid) throws -> [StepSeries] {
        var grouping = expr.grouping
        if !expr.without { grouping.append(valueLabel) }
        var collector = SeriesCollector(count: grid.count)
        for step in 0..<grid.count {
            var counts: [Labels: Double] = [:]
            var order: [Labels] = []
            for series in input {
                let f = series.values[step]
                guard !StepSeries.isAbsent(f) else { continue }
                let labels = series.labels.setting(unchecked: valueLabel, Evaluator.formatValue(f))
                let group = Evaluator.groupingLabels(labels, grouping, without: expr.without)
                if counts[group] == nil { order.append(group) }
                counts[group, default: 0] += 1
            }
            for group in order {
                try collector.set(collector.slot(group, dropName: false), step: step, counts[group] ?? 0)
            }
        }
        return collector.series
    }

    /// topk, bottomk, limitk: the series themselves, k per group and step.
    private func selectK(_ expr: AggregateExpr, _ parameter: [Double], _ input: [StepSeries], _ grid: StepGrid) throws -> [StepSeries] {
        let known = parameter.filter { !$0.isNaN }
        if let highest = known.max(), highest < 1 { return [] }
        if known.count != parameter.count { throw QueryEvaluationError("Parameter value is NaN") }
        if let lowest = known.min(), lowest <= -9.223372036854775808e18 {
            throw QueryEvaluationError("Scalar value \(Evaluator.format(lowest)) underflows int64")
        }
        if let highest = known.max(), highest >= 9.223372036854775807e18 {
            throw QueryEvaluationError("Scalar value \(Evaluator.format(highest)) overflows int64")
        }
        let (ofSeries, groupLabels) = groups(expr, input)
        var members = [[Int]](repeating: [], count: groupLabels.count)
        for (index, group) in ofSeries.enumerated() { members[group].append(index) }
        // Output: selected input series in the order an instant query lists them.
        var slots: [Int: Int] = [:]
        var output: [StepSeries] = []
        for step in 0..<grid.count {
            let k = min(Int(parameter[step]), input.count)
            guard k >= 1 else { continue }
            for group in members.indices {
                var candidates: [(index: Int, value: Double)] = []
                for index in members[group] {
                    let f = input[index].values[step]
                    if !StepSeries.isAbsent(f) { candidates.append((index, f)) }
                }
                guard !candidates.isEmpty else { continue }
                switch expr.op {
                case .topk:
                    candidates.sort { a, b in
                        if a.value.isNaN != b.value.isNaN { return b.value.isNaN }
                        if a.value != b.value { return a.value > b.value }
                        return a.index < b.index
                    }
                case .bottomk:
                    candidates.sort { a, b in
                        if a.value.isNaN != b.value.isNaN { return b.value.isNaN }
                        if a.value != b.value { return a.value < b.value }
                        return a.index < b.index
                    }
                default:
                    break
                }
                for candidate in candidates.prefix(k) {
                    let slot: Int
                    if let known = slots[candidate.index] {
                        slot = known
                    } else {
                        slot = output.count
                        slots[candidate.index] = slot
                        let source = input[candidate.index]
                        output.append(StepSeries(labels: source.labels, count: grid.count, dropName: source.dropName))
                    }
                    output[slot].values[step] = candidate.value
                }
            }
        }
        return output
    }

    /// Go's `%g` for the values Prometheus puts in messages.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e21 { return String(Int64(exactly: value) ?? 0) }
        return "\(value)"
    }

    /// Go's `strconv.FormatFloat(f, 'f', -1, 64)`, as count_values writes values.
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e18 { return String(Int64(value)) }
        return "\(value)"
    }
}
