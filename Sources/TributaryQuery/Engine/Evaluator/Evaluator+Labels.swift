import TributaryModel

extension Evaluator {
    /// `label_replace(v, dst, replacement, src, regex)`: per series, once.
    func labelReplace(_ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        guard arguments.count == 5 else { throw QueryEvaluationError("label_replace() takes 5 arguments") }
        let destination = try stringArgument(arguments[1])
        let replacement = try stringArgument(arguments[2])
        let sourceLabel = try stringArgument(arguments[3])
        let pattern = try stringArgument(arguments[4])
        guard let regex = try? LabelRegex(pattern) else {
            throw QueryEvaluationError("invalid regular expression in label_replace(): \(pattern)")
        }
        guard Label.isValidName(destination) else {
            throw QueryEvaluationError("invalid destination label name in label_replace(): \(destination)")
        }
        let input = try evalVector(arguments[0], grid)
        var collector = SeriesCollector(count: grid.count)
        for var series in input {
            let value = series.labels[sourceLabel] ?? ""
            if let expanded = regex.replace(value, with: replacement) {
                series.labels = series.labels.setting(unchecked: destination, expanded)
                if destination == Labels.metricName { series.dropName = false }
            }
            try collector.merge(series)
        }
        return .vector(collector.series)
    }

    /// `label_join(v, dst, separator, src…)`.
    func labelJoin(_ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        guard arguments.count >= 3 else { throw QueryEvaluationError("label_join() takes at least 3 arguments") }
        let destination = try stringArgument(arguments[1])
        let separator = try stringArgument(arguments[2])
        let sources = try arguments.dropFirst(3).map(stringArgument)
        for name in sources where !Label.isValidName(name) {
            throw QueryEvaluationError("invalid source label name in label_join(): \(name)")
        }
        guard Label.isValidName(destination) else {
            throw QueryEvaluationError("invalid destination label name in label_join(): \(destination)")
        }
        let input = try evalVector(arguments[0], grid)
        var collector = SeriesCollector(count: grid.count)
        for var series in input {
            let joined = sources.map { series.labels[$0] ?? "" }.joined(separator: separator)
            series.labels = series.labels.setting(unchecked: destination, joined)
            if destination == Labels.metricName { series.dropName = false }
            try collector.merge(series)
        }
        return .vector(collector.series)
    }

    /// sort, sort_desc (by value, NaN last) and sort_by_label(_desc)
    /// (natural order of the named labels, then all labels).
    static func sort(_ input: inout [StepSeries], _ name: String, _ labelNames: [String]) throws {
        switch name {
        case "sort":
            input.sort { a, b in
                let x = a.values[0], y = b.values[0]
                return y.isNaN ? !x.isNaN : (!x.isNaN && x < y)
            }
        case "sort_desc":
            input.sort { a, b in
                let x = a.values[0], y = b.values[0]
                return y.isNaN ? !x.isNaN : (!x.isNaN && x > y)
            }
        default:
            let descending = name == "sort_by_label_desc"
            input.sort { a, b in
                for label in labelNames {
                    let x = a.labels[label] ?? "", y = b.labels[label] ?? ""
                    if x == y { continue }
                    return NaturalOrder.less(x, y) != descending
                }
                let order = Labels.compare(a.labels, b.labels)
                return descending ? order > 0 : order < 0
            }
        }
    }
}
