import TributaryModel
import TributaryQuery

extension AnomalyRule {
    /// Evaluates the rule at `time` (ns): asks the engine for the judged
    /// expression over the window plus `judgedSpan` at `step`, judges the
    /// last `judgedSpan` of each series, and reports the series whose
    /// latest point ends a run that lasted the minimum duration.
    public func evaluate(at time: Int64, source: any QuerySource, engine: QueryEngine = QueryEngine()) throws -> AnomalyEvaluation {
        let (from, overflow) = time.subtractingReportingOverflow(judgedSpan)
        guard !overflow else { throw QueryEvaluationError("the evaluation time \(time) is too early for a window of \(detector.history) ns") }
        let series = try judgedSeries(from: from, to: time, source: source, engine: engine)
        var findings: [AnomalyFinding] = []
        var band: [BandSample] = []
        for one in series {
            let points = detector.judge(one, from: from, to: time)
            guard let last = points.last(where: { $0.estimate != nil }), let estimate = last.estimate else { continue }
            // A series that stopped reporting more than a gap ago is not judged "now".
            guard time - last.time <= detector.maximumGap else { continue }
            let metric = one.labels["__name__"]
            for (part, value) in [("baseline", estimate.baseline), ("upper", estimate.upper(sensitivity: detector.sensitivity)),
                                  ("lower", estimate.lower(sensitivity: detector.sensitivity))] {
                if let labels = try? one.labels.setting("__name__", to: bandName(for: metric, part)) {
                    band.append(BandSample(labels: labels, time: last.time, value: value))
                }
            }
            guard let alarm = detector.alarms(points).last, alarm.end == last.time else { continue }
            findings.append(AnomalyFinding(
                rule: name, labels: one.labels, since: alarm.start, firedAt: alarm.firedAt, time: last.time, value: last.value,
                baseline: estimate.baseline, lower: estimate.lower(sensitivity: detector.sensitivity),
                upper: estimate.upper(sensitivity: detector.sensitivity), score: estimate.score(of: last.value),
                peakScore: alarm.peakScore, period: estimate.period))
        }
        return AnomalyEvaluation(findings: findings, band: band)
    }

    /// Every alarm the rule would have raised over [from, to], judging each
    /// point with only the history before it: what the benchmark scores.
    public func alarms(from: Int64, to: Int64, source: any QuerySource, engine: QueryEngine = QueryEngine()) throws -> [(labels: Labels, alarms: [AnomalyAlarm])] {
        try judgedSeries(from: from, to: to, source: source, engine: engine).map { one in
            (one.labels, detector.alarms(detector.judge(one, from: from, to: to)))
        }
    }

    /// The judged expression's series over [from − window, to], through the engine.
    func judgedSeries(from: Int64, to: Int64, source: any QuerySource, engine: QueryEngine) throws -> [MetricSeries] {
        let (start, overflow) = from.subtractingReportingOverflow(detector.history)
        guard !overflow, to >= from else { throw QueryEvaluationError("the judged span [\(from), \(to)] is not a valid time range") }
        // Steps on multiples of the step, as a recording rule's would be.
        let alignedStart = start - ((start % step) + step) % step
        var engine = engine
        let (span, spanOverflow) = to.subtractingReportingOverflow(alignedStart)
        guard !spanOverflow else { throw QueryEvaluationError("the judged span is too long") }
        engine.maxPoints = Swift.max(engine.maxPoints, Int(clamping: span / step + 2))
        let result = try engine.range(judged, steps: QuerySteps(start: alignedStart, end: to, step: step), source: source)
        guard case .matrix(let series) = result else { return [] }
        return series
    }
}
