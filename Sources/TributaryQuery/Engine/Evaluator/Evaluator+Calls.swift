#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TributaryModel

extension Evaluator {
    func call(_ name: String, _ arguments: [QueryExpr], _ grid: StepGrid) throws -> EvalValue {
        if let function = RangeFunction(rawValue: name) {
            return try rangeFunction(function, arguments, grid)
        }
        if let function = AnomalyFunction(rawValue: name) {
            return try anomalyFunction(function, arguments, grid)
        }
        if let math = Evaluator.mathFunctions[name] {
            guard arguments.count == 1 else { throw QueryEvaluationError("\(name)() takes one instant vector") }
            return try mapVector(arguments[0], grid, math)
        }
        switch name {
        case "time":
            return .scalar((0..<grid.count).map { Evaluator.seconds(grid.time($0)) })
        case "start", "end":
            // Experimental in Prometheus: the query's first or last step, in seconds.
            let time = Evaluator.seconds(name == "start" ? queryStart : queryEnd)
            return .scalar([Double](repeating: time, count: grid.count))
        case "step":
            return .scalar([Double](repeating: Evaluator.seconds(queryStep), count: grid.count))
        case "range":
            return .scalar([Double](repeating: Evaluator.seconds(queryEnd - queryStart), count: grid.count))
        case "max_of", "min_of":
            // Experimental in Prometheus: Go's math.Max / math.Min of two scalars (NaN wins).
            let a = try evalScalar(try argument(arguments, 0, of: name), grid)
            let b = try evalScalar(try argument(arguments, 1, of: name), grid)
            return .scalar(zip(a, b).map { x, y in
                if x.isNaN || y.isNaN { return .nan }
                if x == 0, y == 0 { return name == "max_of" ? (x.sign == .plus ? x : y) : (x.sign == .minus ? x : y) }
                return name == "max_of" ? Swift.max(x, y) : Swift.min(x, y)
            })
        case "pi":
            return .scalar([Double](repeating: Double.pi, count: grid.count))
        case "vector":
            let values = try evalScalar(try argument(arguments, 0, of: name), grid)
            return .vector([StepSeries(labels: .empty, values: values)])
        case "scalar":
            let input = try evalVector(try argument(arguments, 0, of: name), grid)
            defer { release(input.reduce(0) { $0 + $1.presentCount }) }
            var values = [Double](repeating: .nan, count: grid.count)
            for step in 0..<grid.count {
                var found: Double?
                var several = false
                for series in input where !StepSeries.isAbsent(series.values[step]) {
                    if found != nil { several = true }
                    found = series.values[step]
                }
                values[step] = several ? .nan : (found ?? .nan)
            }
            return .scalar(values)
        case "timestamp":
            let inner = try argument(arguments, 0, of: name)
            var input: [StepSeries]
            if case .vector(let selector) = Evaluator.unwrapped(inner) {
                input = try selectInstant(selector, grid, sampleTimes: true)
            } else {
                input = try evalVector(inner, grid)
                for index in input.indices {
                    for step in 0..<grid.count where !StepSeries.isAbsent(input[index].values[step]) {
                        input[index].values[step] = Evaluator.seconds(grid.time(step))
                    }
                }
            }
            for index in input.indices { input[index].dropName = true }
            return .vector(input)
        case "absent":
            let inner = try argument(arguments, 0, of: name)
            let input = try evalVector(inner, grid)
            defer { release(input.reduce(0) { $0 + $1.presentCount }) }
            var values = [Double](repeating: 1, count: grid.count)
            for series in input {
                for step in 0..<grid.count where !StepSeries.isAbsent(series.values[step]) { values[step] = StepSeries.absent }
            }
            if values.allSatisfy(StepSeries.isAbsent) { return .vector([]) }
            return .vector([StepSeries(labels: Evaluator.absentLabels(inner), values: values, dropName: true)])
        case "clamp", "clamp_min", "clamp_max":
            let vector = try argument(arguments, 0, of: name)
            var lower = [Double](repeating: -.infinity, count: grid.count)
            var upper = [Double](repeating: .infinity, count: grid.count)
            switch name {
            case "clamp":
                lower = try evalScalar(try argument(arguments, 1, of: name), grid)
                upper = try evalScalar(try argument(arguments, 2, of: name), grid)
            case "clamp_min": lower = try evalScalar(try argument(arguments, 1, of: name), grid)
            default: upper = try evalScalar(try argument(arguments, 1, of: name), grid)
            }
            var input = try evalVector(vector, grid)
            for index in input.indices {
                input[index].dropName = true
                for step in 0..<grid.count where !StepSeries.isAbsent(input[index].values[step]) {
                    input[index].values[step] = upper[step] < lower[step]
                        ? StepSeries.absent
                        : Swift.max(lower[step], Swift.min(upper[step], input[index].values[step]))
                }
            }
            return .vector(input.filter { !$0.isEmpty })
        case "round":
            let nearest = arguments.count > 1 ? try evalScalar(arguments[1], grid) : [Double](repeating: 1, count: grid.count)
            var input = try evalVector(try argument(arguments, 0, of: name), grid)
            for index in input.indices {
                input[index].dropName = true
                for step in 0..<grid.count where !StepSeries.isAbsent(input[index].values[step]) {
                    let inverse = 1.0 / nearest[step]
                    input[index].values[step] = floor(input[index].values[step] * inverse + 0.5) / inverse
                }
            }
            return .vector(input)
        case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc":
            if !grid.isInstant { annotations.warn("sort is ineffective for range queries since results are always ordered by labels") }
            var input = try evalVector(try argument(arguments, 0, of: name), grid)
            guard grid.isInstant else { return .vector(input) }
            let labelNames = try arguments.dropFirst().map(stringArgument)
            try Evaluator.sort(&input, name, labelNames)
            return .vector(input)
        case "label_replace":
            return try labelReplace(arguments, grid)
        case "label_join":
            return try labelJoin(arguments, grid)
        case "histogram_quantile":
            return try histogramQuantile(arguments, grid)
        case "histogram_fraction":
            return try histogramFraction(arguments, grid)
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
            // Native histograms only: float samples are ignored.
            let input = try evalVector(try argument(arguments, 0, of: name), grid)
            release(input.reduce(0) { $0 + $1.presentCount })
            return .vector([])
        case "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year":
            guard let part = DatePart(rawValue: name) else { break }
            if arguments.isEmpty {
                let values = (0..<grid.count).map { part.value(ofSeconds: grid.time($0) / 1_000_000_000) }
                return .vector([StepSeries(labels: .empty, values: values)])
            }
            return try mapVector(arguments[0], grid) { part.value(ofSeconds: Int64(exactly: $0.rounded(.towardZero)) ?? 0) }
        default:
            break
        }
        throw QueryEvaluationError("unknown function with name \"\(name)\"")
    }

    func argument(_ arguments: [QueryExpr], _ index: Int, of name: String) throws -> QueryExpr {
        guard index < arguments.count else { throw QueryEvaluationError("\(name)() is missing argument \(index + 1)") }
        return arguments[index]
    }

    static func unwrapped(_ expr: QueryExpr) -> QueryExpr {
        if case .parenthesized(let inner) = expr { return unwrapped(inner) }
        return expr
    }

    /// Applies `transform` to every value; the result drops the metric name.
    private func mapVector(_ expr: QueryExpr, _ grid: StepGrid, _ transform: (Double) -> Double) throws -> EvalValue {
        var input = try evalVector(expr, grid)
        for index in input.indices {
            input[index].dropName = true
            for step in 0..<grid.count where !StepSeries.isAbsent(input[index].values[step]) {
                input[index].values[step] = transform(input[index].values[step])
            }
        }
        return .vector(input)
    }

    static let mathFunctions: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) }, "ceil": { ceil($0) }, "floor": { floor($0) }, "exp": { exp($0) }, "sqrt": { sqrt($0) },
        "ln": { log($0) }, "log2": { log2($0) }, "log10": { log10($0) },
        "sin": { sin($0) }, "cos": { cos($0) }, "tan": { tan($0) }, "asin": { asin($0) }, "acos": { acos($0) }, "atan": { atan($0) },
        "sinh": { sinh($0) }, "cosh": { cosh($0) }, "tanh": { tanh($0) },
        "asinh": { asinh($0) }, "acosh": { acosh($0) }, "atanh": { atanh($0) },
        "rad": { $0 * Double.pi / 180 }, "deg": { $0 * 180 / Double.pi },
        "sgn": { $0 < 0 ? -1 : ($0 > 0 ? 1 : $0) },
    ]

    /// `absent(x{job="a"})`'s labels: the equality matchers (a label matched
    /// twice is left out), without the name.
    static func absentLabels(_ expr: QueryExpr) -> Labels {
        let matchers: [LabelMatcher]
        switch unwrapped(expr) {
        case .vector(let selector): matchers = selector.matchers
        case .matrix(let selector, _): matchers = selector.matchers
        default: return .empty
        }
        var has: Set<String> = []
        var labels = Labels.empty
        for matcher in matchers where matcher.name != Labels.metricName {
            if matcher.op == .equal, !has.contains(matcher.name) {
                labels = labels.setting(unchecked: matcher.name, matcher.value)
                has.insert(matcher.name)
            } else {
                labels = labels.setting(unchecked: matcher.name, "")
            }
        }
        return labels
    }
}
