import TributaryModel

/// The PromQL evaluator (and LogQL's metric queries, whose range
/// aggregations over log lines it hands to `QuerySource.logRange`).
///
/// Semantics are Prometheus' engine with the options its conformance tests
/// run with: 5-minute lookback, stale markers, `@` and negative offsets,
/// delayed removal of the metric name. A range query is evaluated node by
/// node over all steps at once, so memory is bounded by series × steps
/// (and refused beyond `maxSamples`).
public struct QueryEngine: Sendable {
    /// How far back an instant selector looks for a sample (ns).
    public var lookback: Int64 = 300_000_000_000
    /// Refuse range queries with more steps than this (Prometheus: 11,000).
    public var maxPoints = 11_000
    /// Refuse queries that hold more points than this at once
    /// ("query processing would load too many samples into memory").
    public var maxSamples = 50_000_000
    /// The step of a subquery written without one (`x[1h:]`), ns.
    public var defaultSubqueryStep: Int64 = 60_000_000_000

    public init(lookback: Int64 = 300_000_000_000, maxPoints: Int = 11_000, maxSamples: Int = 50_000_000) {
        self.lookback = lookback
        self.maxPoints = maxPoints
        self.maxSamples = maxSamples
    }

    /// Evaluates `expr` at one time (ns).
    public func instant(_ expr: QueryExpr, at time: Int64, source: any QuerySource) throws -> QueryResult {
        try instantWithAnnotations(expr, at: time, source: source).result
    }

    /// Evaluates `expr` at every step; the result is always a matrix.
    public func range(_ expr: QueryExpr, steps: QuerySteps, source: any QuerySource) throws -> QueryResult {
        try rangeWithAnnotations(expr, steps: steps, source: source).result
    }

    public func instantWithAnnotations(_ expr: QueryExpr, at time: Int64, source: any QuerySource) throws -> (result: QueryResult, annotations: QueryAnnotations) {
        let grid = StepGrid(start: time, step: 1, count: 1)
        let evaluator = makeEvaluator(source, start: time, end: time, step: 0)
        let value = try evaluator.eval(expr, grid)
        let result: QueryResult
        switch value {
        case .scalar(let values):
            result = .scalar(time: time, value: values[0])
        case .string(let text):
            result = .string(time: time, value: text)
        case .vector(let series):
            result = .vector(try Self.finish(series, count: 1).map { InstantSample(labels: $0.labels, time: time, value: $0.values[0]) })
        case .matrix(let series):
            var collector: [Labels: Int] = [:]
            var output: [MetricSeries] = []
            for one in series {
                let labels = one.dropName ? one.labels.droppingMetricName : one.labels
                guard collector[labels] == nil else { throw QueryEvaluationError.duplicateLabelset }
                collector[labels] = output.count
                output.append(MetricSeries(labels: labels, timestamps: one.timestamps, values: one.values))
            }
            result = .matrix(output.sorted { Labels.compare($0.labels, $1.labels) < 0 })
        }
        return (result, evaluator.annotations)
    }

    public func rangeWithAnnotations(_ expr: QueryExpr, steps: QuerySteps, source: any QuerySource) throws -> (result: QueryResult, annotations: QueryAnnotations) {
        guard steps.step > 0 else { throw MetricEvaluationError.nonPositiveStep(steps.step) }
        guard steps.end >= steps.start else { throw MetricEvaluationError.endBeforeStart(start: steps.start, end: steps.end) }
        let (span, overflow) = steps.end.subtractingReportingOverflow(steps.start)
        guard !overflow, maxPoints > 0, span / steps.step < Int64(maxPoints) else {
            throw MetricEvaluationError.tooManyPoints(start: steps.start, end: steps.end, step: steps.step, limit: maxPoints)
        }
        let grid = StepGrid(start: steps.start, step: steps.step, count: Int(span / steps.step) + 1)
        let evaluator = makeEvaluator(source, start: grid.start, end: grid.end, step: grid.step)
        let value = try evaluator.eval(expr, grid)
        let series: [StepSeries]
        switch value {
        case .scalar(let values): series = [StepSeries(labels: .empty, values: values)]
        case .vector(let vector): series = try Self.finish(vector, count: grid.count)
        case .string: throw QueryEvaluationError("invalid expression type \"string\" for range query, must be Scalar or instant Vector")
        case .matrix: throw QueryEvaluationError("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")
        }
        let output = series.map { one -> MetricSeries in
            var timestamps: [Int64] = []
            var values: [Double] = []
            for step in 0..<grid.count where !StepSeries.isAbsent(one.values[step]) {
                timestamps.append(grid.time(step))
                values.append(one.values[step])
            }
            return MetricSeries(labels: one.labels, timestamps: timestamps, values: values)
        }
        .filter { !$0.timestamps.isEmpty }
        .sorted { Labels.compare($0.labels, $1.labels) < 0 }
        return (.matrix(output), evaluator.annotations)
    }

    private func makeEvaluator(_ source: any QuerySource, start: Int64, end: Int64, step: Int64) -> Evaluator {
        Evaluator(source: source, lookback: lookback, maxSamples: maxSamples, defaultSubqueryStep: defaultSubqueryStep,
                  queryStart: start, queryEnd: end, queryStep: step)
    }

    /// Delayed name removal: drop the names now, merge series that became
    /// equal, and refuse two values for one label set at one step.
    static func finish(_ series: [StepSeries], count: Int) throws -> [StepSeries] {
        var collector = SeriesCollector(count: count)
        for var one in series where !one.isEmpty {
            if one.dropName { one.labels = one.labels.droppingMetricName }
            one.dropName = false
            try collector.merge(one)
        }
        return collector.series
    }
}
