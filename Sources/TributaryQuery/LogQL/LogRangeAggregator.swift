import TributaryModel

/// Evaluates a LogQL range aggregation (`count_over_time`, `rate`,
/// `bytes_over_time`, `sum_over_time(… | unwrap x)`, `quantile_over_time`,
/// …) while lines stream through it: each line goes through the pipeline
/// (and `unwrap`, its post-filters and `by`/`without`), then into the
/// aggregate of its output series and elementary interval (`LogRangeGrid`).
/// Memory is bounded by series × intervals (`LogRangeLimits`), never by
/// lines; only `quantile_over_time` and `rate_counter` keep raw values,
/// up to `maxSamples`.
///
/// A node answers `QuerySource.logRange` with
/// `LogRangeAggregator.evaluate(expr, steps:, source:)`; a cluster node
/// runs `add` over its partitions and sends `partials()` to the
/// coordinator, which merges them (`LogRangePartials.merge`) and calls
/// `finish`. Not thread-safe: one aggregator per thread, merge the partials.
public final class LogRangeAggregator {
    public let expr: LogRangeExpr
    public let steps: QuerySteps
    private let limits: LogRangeLimits
    private let pipeline: LogPipeline
    private let grid: LogRangeGrid
    private var seriesLabels: [Labels] = []
    private var seriesData: [LogSeriesIntervals] = []
    private var seriesIndex: [Labels: Int] = [:]
    /// The last series a line went to: consecutive lines of a stream skip the hash lookup.
    private var lastLabels: Labels? = nil
    private var lastIndex = 0
    private var intervalHint = 0
    private var aggregateCount = 0
    private var sampleCount = 0
    private let keepsSamples: Bool
    private let groupNames: [String]?
    private let groupWithout: Bool

    public init(_ expr: LogRangeExpr, steps: QuerySteps, limits: LogRangeLimits = LogRangeLimits()) throws(LogPipelineError) {
        if expr.function.needsUnwrap, expr.unwrap == nil {
            throw LogPipelineError("\(expr.function.rawValue) needs an unwrapped value: add | unwrap label")
        }
        if expr.function == .quantileOverTime, expr.parameter == nil {
            throw LogPipelineError("quantile_over_time needs its quantile: quantile_over_time(0.99, …)")
        }
        self.expr = expr
        self.steps = steps
        self.limits = limits
        pipeline = try LogPipeline(expr.selector.stages)
        grid = try LogRangeGrid(range: expr.range, offset: expr.offset, steps: steps)
        keepsSamples = expr.function == .quantileOverTime || expr.function == .rateCounter
        if let unwrap = expr.unwrap {
            // Loki: without grouping (or with `without`) the unwrapped label is dropped.
            if expr.grouping == nil || expr.without {
                groupNames = (expr.grouping ?? []) + [unwrap.label]
                groupWithout = true
            } else {
                groupNames = expr.grouping
                groupWithout = false
            }
        } else {
            groupNames = expr.grouping
            groupWithout = expr.without
        }
    }

    /// The lines the source must read: (from, to) inclusive, and its hints.
    public var readRange: (from: Int64, to: Int64) { grid.readRange }
    public var requiredSubstrings: [String] { pipeline.requiredSubstrings }

    /// Adds one line (ignored when outside every window or dropped by the pipeline).
    public func add(_ record: LogRecordView) throws(LogPipelineError) {
        guard let interval = grid.interval(of: record.timestamp, hint: intervalHint) else { return }
        intervalHint = interval
        guard pipeline.run(line: record.line, timestamp: record.timestamp, stream: record.stream, fields: record.fields) else { return }
        var value = 1.0
        if let unwrap = expr.unwrap {
            guard let text = pipeline.builder.get(unwrap.label), !text.isEmpty else { return }
            value = Self.convert(text, unwrap.conversion, &pipeline.builder)
            for filter in unwrap.filters where !LabelFilterStage.evaluate(filter, &pipeline.builder) { return }
        } else if expr.function == .bytesOverTime || expr.function == .bytesRate {
            value = Double(pipeline.line.count)
        }
        let labels = outputLabels(record.stream)
        let index: Int
        if let lastLabels, lastLabels == labels {
            index = lastIndex
        } else if let known = seriesIndex[labels] {
            index = known
        } else {
            guard seriesData.count < limits.maxSeries else {
                throw LogPipelineError("the query produces more than \(limits.maxSeries) series: aggregate with by (…), drop labels, or select fewer streams")
            }
            index = seriesData.count
            seriesIndex[labels] = index
            seriesLabels.append(labels)
            seriesData.append(LogSeriesIntervals())
        }
        lastLabels = labels
        lastIndex = index
        if seriesData[index].add(interval: interval, time: record.timestamp, value: value, keepSample: keepsSamples) {
            aggregateCount += 1
        }
        if aggregateCount > limits.maxIntervalAggregates {
            throw LogPipelineError("the query needs more than \(limits.maxIntervalAggregates) partial aggregates (series × steps): use a larger step, a shorter time range or fewer series")
        }
        if keepsSamples {
            sampleCount += 1
            guard sampleCount <= limits.maxSamples else {
                throw LogPipelineError("\(expr.function.rawValue) keeps every value of its windows and this query reached \(limits.maxSamples) values: use a shorter range, a larger step or more selective filters")
            }
        }
    }

    private func outputLabels(_ stream: Labels) -> Labels {
        if let groupNames { return pipeline.builder.groupedLabels(groupNames, without: groupWithout) }
        if pipeline.builder.isUnchanged {
            // The common case (line filters only): the stream's own labels.
            return stream
        }
        return pipeline.builder.outputLabels()
    }

    /// The unwrapped value; a conversion failure sets `__error__` and gives 0, as in Loki.
    static func convert(_ text: String, _ conversion: LogUnwrap.Conversion, _ labels: inout LogLabelBuilder) -> Double {
        switch conversion {
        case .none:
            if let value = Double(text) { return value }
            labels.setError(LogLabelNames.sampleExtractionError, details: "strconv.ParseFloat: parsing \"\(text)\": invalid syntax")
        case .duration, .durationSeconds:
            do throws(GoDuration.Failure) {
                return Double(try GoDuration.parse(text)) / 1e9
            } catch {
                labels.setError(LogLabelNames.sampleExtractionError, details: error.description)
            }
        case .bytes:
            do throws(HumanBytes.Failure) {
                return try HumanBytes.parse(text)
            } catch {
                labels.setError(LogLabelNames.sampleExtractionError, details: error.description)
            }
        }
        return 0
    }

    /// The partial state so far (to merge with other nodes' partials).
    public func partials() -> LogRangePartials {
        LogRangePartials(grid: grid, series: Dictionary(uniqueKeysWithValues: zip(seriesLabels, seriesData)))
    }

    /// The finished result of the lines added so far.
    public func finish() throws(LogPipelineError) -> [MetricSeries] {
        try partials().finish(expr, steps: steps)
    }

    /// Reads the lines `expr` needs from `source` and returns the result:
    /// what `QuerySource.logRange` answers.
    public static func evaluate(_ expr: LogRangeExpr, steps: QuerySteps, source: some LogLineSource,
                                limits: LogRangeLimits = LogRangeLimits()) throws -> [MetricSeries] {
        let aggregator = try LogRangeAggregator(expr, steps: steps, limits: limits)
        let range = aggregator.readRange
        try source.lines(matching: expr.selector.matchers, from: range.from, to: range.to, requiredSubstrings: aggregator.requiredSubstrings) { record in
            try aggregator.add(record)
            return true
        }
        return try aggregator.finish()
    }
}
