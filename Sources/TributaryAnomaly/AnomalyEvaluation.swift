/// What one evaluation of an anomaly rule found: the series outside their
/// band now, and the band of every judged series at its last point.
public struct AnomalyEvaluation: Sendable, Equatable {
    public var findings: [AnomalyFinding]
    public var band: [BandSample]

    public init(findings: [AnomalyFinding], band: [BandSample]) {
        self.findings = findings
        self.band = band
    }
}
