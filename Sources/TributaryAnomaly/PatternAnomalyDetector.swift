import TributaryModel
import TributaryQuery

/// Pattern anomalies over count series (lines per step of each pattern,
/// such as `increase(tributary_log_pattern_lines[1m])`): a pattern first
/// seen after the stream's warm-up, and a pattern whose rate jumps or
/// drops far outside its own baseline.
///
/// A missing point between a pattern's first and last count is a step
/// without lines (0), not a gap: patterns are counted only when they occur.
public struct PatternAnomalyDetector: Sendable, Equatable {
    /// A pattern first seen within this long after the stream began is
    /// part of its normal vocabulary, not new.
    public var warmUp: Int64
    /// A pattern is reported as new while its first sighting is at most this old.
    public var recent: Int64
    /// Judges the rate of patterns that are not new.
    public var detector: AnomalyDetector
    /// The spacing of the count series (ns).
    public var step: Int64

    public init(warmUp: Int64 = 3_600_000_000_000, recent: Int64 = 3_600_000_000_000,
                detector: AnomalyDetector = AnomalyDetector(history: 86_400_000_000_000, seasonality: .auto),
                step: Int64 = 60_000_000_000) {
        self.warmUp = warmUp
        self.recent = recent
        self.detector = detector
        self.step = step
    }

    /// The findings at `time` for the count series of one stream group
    /// whose data begins at `streamStart`; `text` names a series' pattern
    /// (default: its `pattern` label, else `pattern_id`).
    public func findings(counts: [MetricSeries], streamStart: Int64, at time: Int64,
                         text: (Labels) -> String? = { $0["pattern"] ?? $0["pattern_id"] }) -> [PatternFinding] {
        var findings: [PatternFinding] = []
        for series in counts {
            guard let firstIndex = series.values.firstIndex(where: { $0 > 0 }) else { continue }
            let firstSeen = series.timestamps[firstIndex]
            guard firstSeen <= time, let name = text(series.labels) else { continue }
            let dense = densified(series, from: firstSeen, to: time)
            let seconds = Double(step) / 1e9
            if firstSeen >= streamStart &+ warmUp, time - firstSeen <= recent {
                let half = dense.values.count / 2
                let before = half > 0 ? dense.values[..<half].reduce(0, +) / Double(half) / seconds : 0
                let after = dense.values[half...].reduce(0, +) / Double(dense.values.count - half) / seconds
                findings.append(PatternFinding(pattern: name, labels: series.labels, firstSeen: firstSeen, changedAt: firstSeen,
                                               rateBefore: before, rateAfter: after, isNew: true))
                continue
            }
            let points = detector.judge(dense, from: Swift.max(firstSeen, time &- recent), to: time)
            guard let alarm = detector.alarms(points).last, let last = points.last(where: { $0.estimate != nil }),
                  alarm.end == last.time, let estimate = last.estimate else { continue }
            let since = dense.timestamps.indices.filter { dense.timestamps[$0] >= alarm.start }.map { dense.values[$0] }
            let after = since.isEmpty ? 0 : since.reduce(0, +) / Double(since.count) / seconds
            findings.append(PatternFinding(pattern: name, labels: series.labels, firstSeen: firstSeen, changedAt: alarm.start,
                                           rateBefore: Swift.max(0, estimate.baseline) / seconds, rateAfter: after, isNew: false))
        }
        return findings
    }

    /// The series on the step grid from its first point (or `from`, the
    /// earlier) to `to`, zeros where it has no count.
    func densified(_ series: MetricSeries, from: Int64, to: Int64) -> MetricSeries {
        guard let first = series.timestamps.first, step > 0 else { return series }
        var start = Swift.min(first, from)
        // Memory stays bounded whatever the input's span: the detector
        // never reads further back than its history and the recent span.
        let budget = (detector.history / step) + (recent / step) + 2
        let (span, overflow) = to.subtractingReportingOverflow(start)
        if overflow || span / step > budget {
            let (reach, reachOverflow) = budget.multipliedReportingOverflow(by: step)
            let (earliest, earliestOverflow) = to.subtractingReportingOverflow(reach)
            let (offset, offsetOverflow) = earliest.subtractingReportingOverflow(first)
            guard !reachOverflow, !earliestOverflow, !offsetOverflow else { return MetricSeries(labels: series.labels, timestamps: [], values: []) }
            // On the series' own grid.
            start = earliest - ((offset % step) + step) % step
        }
        var timestamps: [Int64] = [], values: [Double] = []
        var index = 0
        var time = start
        // Bounded by the caller's query: at most (to − start) / step points.
        while time <= to {
            while index < series.timestamps.count, series.timestamps[index] < time { index += 1 }
            let present = index < series.timestamps.count && series.timestamps[index] == time
            timestamps.append(time)
            values.append(present ? series.values[index] : 0)
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        return MetricSeries(labels: series.labels, timestamps: timestamps, values: values)
    }
}
