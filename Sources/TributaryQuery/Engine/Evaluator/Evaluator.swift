import TributaryModel

/// Evaluates one query over a grid of steps, node by node: every node
/// returns its value at all steps at once, so a selector is read once and a
/// group key or match signature is computed once per series, not per step.
///
/// Follows Prometheus' engine (promql/engine.go) with delayed name removal,
/// the @ modifier and negative offsets enabled, as its conformance tests run.
final class Evaluator {
    let source: any QuerySource
    let lookback: Int64
    let maxSamples: Int
    let defaultSubqueryStep: Int64
    /// The top-level query's first and last step, for `@ start()` and `@ end()`.
    let queryStart: Int64
    let queryEnd: Int64
    /// The top-level query's step (0 for an instant query), for `step()`.
    let queryStep: Int64
    var annotations = QueryAnnotations()
    /// Points held by node results that are alive now (Prometheus' current samples).
    private(set) var currentSamples = 0

    init(source: any QuerySource, lookback: Int64, maxSamples: Int, defaultSubqueryStep: Int64, queryStart: Int64, queryEnd: Int64, queryStep: Int64) {
        self.source = source
        self.lookback = lookback
        self.maxSamples = maxSamples
        self.defaultSubqueryStep = defaultSubqueryStep
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        self.queryStep = queryStep
    }

    // MARK: Sample accounting

    func charge(_ points: Int) throws {
        currentSamples += points
        if currentSamples > maxSamples { throw QueryEvaluationError.tooManySamples }
    }

    /// Refuses, before allocating, `series` arrays of one value per step
    /// that would exceed the sample limit: memory stays bounded by the limit
    /// whatever the query and data.
    func reserve(series: Int, _ grid: StepGrid) throws {
        let (cells, overflow) = series.multipliedReportingOverflow(by: grid.count)
        if overflow || cells > maxSamples { throw QueryEvaluationError.tooManySamples }
    }

    func release(_ points: Int) {
        currentSamples -= points
    }

    static func points(_ value: EvalValue) -> Int {
        switch value {
        case .scalar, .string: return 0
        case .vector(let series): return series.reduce(0) { $0 + $1.presentCount }
        case .matrix(let series): return series.reduce(0) { $0 + $1.values.count }
        }
    }

    // MARK: Dispatch

    func eval(_ expr: QueryExpr, _ grid: StepGrid) throws -> EvalValue {
        switch expr {
        case .number(let value):
            return .scalar([Double](repeating: value, count: grid.count))
        case .string(let text):
            return .string(text)
        case .parenthesized(let inner):
            return try eval(inner, grid)
        case .vector(let selector):
            let series = try selectInstant(selector, grid)
            try charge(series.reduce(0) { $0 + $1.presentCount })
            return .vector(series)
        case .matrix, .subquery:
            guard grid.isInstant else {
                throw QueryEvaluationError("a range vector cannot be evaluated at several steps; apply a range function such as rate() to it")
            }
            let input = try rangeInput(expr, grid)
            let end = input.windowEnd(at: grid.start)
            let start = end &- input.range
            var result: [RangeSeries] = []
            for series in input.series {
                var window = RangeSeries(labels: series.labels, timestamps: [], values: [], dropName: series.dropName)
                for (index, time) in series.timestamps.enumerated() where time > start && time <= end {
                    window.timestamps.append(time)
                    window.values.append(series.values[index])
                }
                if !window.timestamps.isEmpty { result.append(window) }
            }
            return .matrix(result)
        case .negate(let inner):
            switch try eval(inner, grid) {
            case .scalar(let values):
                return .scalar(values.map { -$0 })
            case .vector(var series):
                for index in series.indices {
                    series[index].dropName = true
                    for step in series[index].values.indices where !StepSeries.isAbsent(series[index].values[step]) {
                        series[index].values[step] = -series[index].values[step]
                    }
                }
                return .vector(series)
            default:
                throw QueryEvaluationError("unary minus needs a scalar or an instant vector")
            }
        case .call(let function, let arguments):
            return try call(function, arguments, grid)
        case .aggregate(let aggregate):
            return try self.aggregate(aggregate, grid)
        case .binary(let binary):
            return try self.binary(binary, grid)
        case .logs:
            throw QueryEvaluationError("a log query cannot be part of a metric expression; count or rate its lines with count_over_time or rate")
        case .logRange(let logRange):
            let steps = QuerySteps(start: grid.start, end: grid.end, step: grid.step)
            let result = try source.logRange(logRange, steps: steps)
            var output: [StepSeries] = []
            for series in result {
                var stepSeries = StepSeries(labels: series.labels, count: grid.count)
                for (index, time) in series.timestamps.enumerated() where index < series.values.count {
                    guard time >= grid.start, time <= grid.end, (time - grid.start) % grid.step == 0 else { continue }
                    stepSeries.values[Int((time - grid.start) / grid.step)] = series.values[index]
                }
                output.append(stepSeries)
            }
            try charge(output.reduce(0) { $0 + $1.presentCount })
            return .vector(output)
        }
    }

    /// Evaluates `expr` and insists on an instant vector.
    func evalVector(_ expr: QueryExpr, _ grid: StepGrid) throws -> [StepSeries] {
        switch try eval(expr, grid) {
        case .vector(let series): return series
        case .scalar: throw QueryEvaluationError("expected an instant vector, got a scalar")
        case .string: throw QueryEvaluationError("expected an instant vector, got a string")
        case .matrix: throw QueryEvaluationError("expected an instant vector, got a range vector")
        }
    }

    /// Evaluates `expr` and insists on a scalar.
    func evalScalar(_ expr: QueryExpr, _ grid: StepGrid) throws -> [Double] {
        switch try eval(expr, grid) {
        case .scalar(let values): return values
        default: throw QueryEvaluationError("expected a scalar")
        }
    }

    /// The string argument of a function or aggregation (a literal, maybe in parentheses).
    func stringArgument(_ expr: QueryExpr) throws -> String {
        switch expr {
        case .string(let text): return text
        case .parenthesized(let inner): return try stringArgument(inner)
        default: throw QueryEvaluationError("expected a string literal")
        }
    }

    func resolve(_ at: AtModifier?) -> Int64? {
        switch at {
        case nil: return nil
        case .time(let time): return time
        case .start: return queryStart
        case .end: return queryEnd
        }
    }

    /// The first time in the window (time − duration, time]: cut at the
    /// earliest representable time (no data lies before 1678), never a trap.
    static func windowStart(_ time: Int64, _ duration: Int64) -> Int64 {
        let (result, overflow) = time.subtractingReportingOverflow(duration)
        if overflow { return duration > 0 ? .min : .max }
        return result == .max ? .max : result + 1
    }

    /// `time − duration`, refusing times Int64 nanoseconds cannot hold.
    static func subtract(_ time: Int64, _ duration: Int64) throws -> Int64 {
        let (result, overflow) = time.subtractingReportingOverflow(duration)
        guard !overflow else { throw QueryEvaluationError("time out of range: \(time) ns minus \(duration) ns; \(QueryTime.rangeAdvice)") }
        return result
    }
}
