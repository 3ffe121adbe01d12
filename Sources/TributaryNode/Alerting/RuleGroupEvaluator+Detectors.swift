import TributaryAlerting
import TributaryAnomaly
import TributaryModel
import TributaryQuery

extension RuleGroupEvaluator {
    /// The least time a detector's evaluation may take (its history is
    /// read at each evaluation, which a 1 s group interval can be too short for).
    static let detectorTimeout: Duration = .seconds(10)

    /// Evaluates an `anomaly:` or `trend:` rule at `time`: each series the
    /// detector reports becomes one alert, valued at its last point
    /// (anomaly) or at the seconds until it reaches the threshold (trend).
    func detect(_ detector: AlertDetector, rule: AlertingRule, at time: Int64) async throws -> DetectorResult {
        let timeout = max(.nanoseconds(group.interval), Self.detectorTimeout)
        switch detector {
        case .anomaly(let anomaly):
            let (start, overflow) = time.subtractingReportingOverflow(anomaly.judgedSpan &+ anomaly.detector.history &+ anomaly.step)
            guard !overflow else { throw QueryEvaluationError("the evaluation time is too early for the rule's window") }
            let evaluation = try await services.runner.withSource(anomaly.judged, text: rule.expression, tenant: group.tenant,
                                                                  steps: QuerySteps(start: start, end: time, step: anomaly.step),
                                                                  timeout: timeout) { source in
                try anomaly.evaluate(at: time, source: source)
            }
            var result = DetectorResult(samples: evaluation.findings.map { ($0.labels, $0.value) })
            for finding in evaluation.findings { result.findings[finding.labels] = finding }
            for sample in evaluation.band {
                guard let name = sample.labels["__name__"] else { continue }
                var labels = try Self.withoutName(sample.labels)
                for (label, value) in group.labels { labels = try labels.setting(label, to: value) }
                result.band[SeriesID(name: name, labels: labels)] = sample.value
            }
            return result
        case .trend(let trend):
            let (start, overflow) = time.subtractingReportingOverflow(trend.window)
            guard !overflow else { throw QueryEvaluationError("the evaluation time is too early for the rule's window") }
            let findings = try await services.runner.withSource(trend.expression, text: rule.expression, tenant: group.tenant,
                                                                steps: QuerySteps(start: start, end: time, step: trend.step),
                                                                timeout: timeout) { source in
                try trend.evaluate(at: time, source: source)
            }
            return DetectorResult(samples: findings.map { finding in
                (finding.labels, Double(max(0, finding.crossesAt &- time)) / 1e9)
            })
        }
    }
}
