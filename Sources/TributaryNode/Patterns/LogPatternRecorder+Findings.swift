import TributaryAnomaly
import TributaryModel
import TributaryQuery

extension LogPatternRecorder {
    /// Pattern anomalies at `time` among the tenant's pattern groups whose
    /// labels match `matchers`: patterns first seen after their stream's
    /// warm-up and at most `detector.recent` ago (with their exact first
    /// sighting), and older patterns whose per-minute count left its band.
    public func findings(tenant: String, matching matchers: [LabelMatcher], detector: PatternAnomalyDetector, at time: Int64) -> [PatternFinding] {
        let from = time &- detector.detector.history &- detector.recent
        let series = self.series(tenant: tenant, matching: matchers, from: from, to: time)
        guard let seriesStart = series.compactMap(\.timestamps.first).min() else { return [] }
        let summaries = self.summaries(tenant: tenant, matchers: matchers, from: from, to: time, step: detector.step)
        let firstSeen = Dictionary(summaries.map { (String($0.id), $0.firstSeen) }, uniquingKeysWith: min)
        let streamStart = min(seriesStart, summaries.map(\.firstSeen).min() ?? seriesStart)
        var findings: [PatternFinding] = []
        for var finding in detector.findings(counts: series, streamStart: streamStart, at: time, text: { labels in
            labels["pattern_id"].flatMap(UInt64.init).flatMap { self.pattern(tenant: tenant, id: $0) }
        }) {
            if finding.isNew, let id = finding.labels["pattern_id"], let exact = firstSeen[id] {
                finding.firstSeen = exact
                finding.changedAt = exact
            }
            findings.append(finding)
        }
        return findings
    }
}
