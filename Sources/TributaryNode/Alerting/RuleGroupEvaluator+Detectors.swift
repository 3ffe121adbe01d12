import TributaryAlerting
import TributaryAnomaly
import TributaryModel
import TributaryQuery

extension RuleGroupEvaluator {
    /// The least time a detector's evaluation may take (its history is
    /// read at each evaluation, which a 1 s group interval can be too short for).
    static let detectorTimeout: Duration = .seconds(10)

    /// Evaluates an `anomaly:`, `trend:` or `patterns:` rule at `time`: each
    /// series the detector reports becomes one alert, valued at its last
    /// point (anomaly), at the seconds until it reaches the threshold
    /// (trend), or at the pattern's lines per second now (patterns).
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
        case .patterns(let patterns):
            // The counts this node mined at ingest (in a cluster: of the lines it stores).
            let findings = services.runner.store.patterns.findings(tenant: group.tenant, matching: patterns.selector.matchers,
                                                                    detector: patterns.detector, at: time)
            var samples: [(labels: Labels, value: Double)] = []
            for finding in findings where finding.isNew ? patterns.reportsNew : patterns.reportsRate {
                let labels = try Self.withoutName(finding.labels).setting("pattern", to: finding.pattern)
                    .setting("change", to: finding.isNew ? "new" : "rate")
                samples.append((labels, finding.rateAfter))
            }
            return DetectorResult(samples: samples)
        }
    }
}
