import TributaryAnomaly
import TributaryModel

/// What an alerting rule's evaluation found: the series in trouble with
/// their values (an `expr`'s result, or a detector's findings), and for
/// anomaly rules the findings by series and the band series to store.
struct DetectorResult: Sendable {
    var samples: [(labels: Labels, value: Double)]
    /// Anomaly findings by the judged series' labels (with `__name__`).
    var findings: [Labels: AnomalyFinding] = [:]
    /// `<metric>:baseline`, `:upper`, `:lower` at this evaluation.
    var band: [RuleGroupEvaluator.SeriesID: Double] = [:]

    init(samples: [(labels: Labels, value: Double)]) {
        self.samples = samples
    }
}
