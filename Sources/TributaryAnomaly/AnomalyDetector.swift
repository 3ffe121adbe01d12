import TributaryQuery

/// Judges the points of one series against its robust baseline and turns
/// runs of anomalous points into alarms.
///
/// A point is anomalous when its score (distance from the baseline in
/// robust standard deviations) is beyond `sensitivity` on the rule's side.
/// An alarm needs anomalous points for at least `minimumDuration`. Once a
/// run has started it continues while the score stays beyond
/// `hysteresis` × `sensitivity` on the same side (so a level shift of 6σ
/// in noise is one alarm, not seven that flap); a point back inside that
/// ends the run, and so does a gap without verdicts longer
/// than `maximumGap` (a gap shorter than that neither ends nor extends it).
public struct AnomalyDetector: Sendable, Equatable {
    public static let minute: Int64 = 60_000_000_000

    public var sensitivity: Double
    public var minimumDuration: Int64
    /// How far back the reference reaches (ns).
    public var history: Int64
    public var seasonality: Seasonality
    public var direction: AnomalyDirection
    public var minimumSamples: Int
    public var maximumGap: Int64
    /// The fraction of `sensitivity` a running anomaly must stay beyond.
    public var hysteresis: Double = 0.75

    public init(sensitivity: Double = 4, minimumDuration: Int64 = 3 * AnomalyDetector.minute,
                history: Int64 = SeasonalityDetector.week, seasonality: Seasonality = .auto,
                direction: AnomalyDirection = .both, minimumSamples: Int = BaselineEstimator.defaultMinimumSamples,
                maximumGap: Int64 = 10 * AnomalyDetector.minute) {
        self.sensitivity = sensitivity
        self.minimumDuration = minimumDuration
        self.history = history
        self.seasonality = seasonality
        self.direction = direction
        self.minimumSamples = minimumSamples
        self.maximumGap = maximumGap
    }

    /// The seasonal period for a series whose points before `from` are the
    /// history: configured, or detected on those points only (so a verdict
    /// never depends on what came after it). A period is considered only
    /// when the history is at least two periods long.
    public func period(timestamps: [Int64], values: [Double], before from: Int64) -> Int64? {
        switch seasonality {
        case .none: return nil
        case .period(let period): return period
        case .auto:
            let end = BaselineEstimator.firstIndex(in: timestamps, notBefore: from)
            let candidates = [SeasonalityDetector.day, SeasonalityDetector.week].filter { $0 <= history / 2 }
            guard end > 1, !candidates.isEmpty else { return nil }
            return SeasonalityDetector(candidates: candidates)
                .detect(timestamps: Array(timestamps[..<end]), values: Array(values[..<end]))
        }
    }

    /// The verdict on every point of `series` in [from, to].
    public func judge(_ series: MetricSeries, from: Int64, to: Int64) -> [AnomalyPoint] {
        let timestamps = series.timestamps, values = series.values
        let period = self.period(timestamps: timestamps, values: values, before: from)
        var points: [AnomalyPoint] = []
        let first = BaselineEstimator.firstIndex(in: timestamps, notBefore: from)
        guard first < timestamps.count else { return [] }
        if let period {
            let estimator = BaselineEstimator(history: history, period: period, minimumSamples: minimumSamples)
            for index in first..<timestamps.count where timestamps[index] <= to {
                let estimate = estimator.estimate(timestamps: timestamps, values: values, at: timestamps[index])
                points.append(verdict(timestamps[index], values[index], estimate))
            }
            return points
        }
        // The recent window, kept sorted as it slides.
        var oldest = 0, next = first
        let firstStart = timestamps[first].subtractingReportingOverflow(history)
        if !firstStart.overflow {
            oldest = BaselineEstimator.firstIndex(in: timestamps, notBefore: firstStart.partialValue &+ 1)
        }
        var window = SlidingReference(values: Array(values[oldest..<first]))
        for index in first..<timestamps.count where timestamps[index] <= to {
            let time = timestamps[index]
            while next < index {
                window.add(values[next])
                next += 1
            }
            let (start, overflow) = time.subtractingReportingOverflow(history)
            while !overflow, oldest < next, timestamps[oldest] <= start {
                window.remove(values[oldest])
                oldest += 1
            }
            var estimate: BaselineEstimate?
            if window.count >= minimumSamples, let (median, spread) = window.locationAndSpread() {
                estimate = BaselineEstimate(baseline: median, spread: spread, samples: window.count, period: nil)
            }
            points.append(verdict(time, values[index], estimate))
        }
        return points
    }

    private func verdict(_ time: Int64, _ value: Double, _ estimate: BaselineEstimate?) -> AnomalyPoint {
        guard let estimate, value.isFinite else { return AnomalyPoint(time: time, value: value, estimate: nil, isAnomalous: false) }
        let anomalous = direction.isAnomalous(score: estimate.score(of: value), sensitivity: sensitivity)
        return AnomalyPoint(time: time, value: value, estimate: estimate, isAnomalous: anomalous)
    }

    /// The runs of anomalous points that lasted `minimumDuration`.
    public func alarms(_ points: [AnomalyPoint]) -> [AnomalyAlarm] {
        var alarms: [AnomalyAlarm] = []
        var run: AnomalyAlarm?
        var lastVerdict: Int64?
        func close() {
            if let current = run, current.end - current.start >= minimumDuration { alarms.append(current) }
            run = nil
        }
        for point in points {
            guard let score = point.score else { continue }
            if let lastVerdict, point.time - lastVerdict > maximumGap { close() }
            lastVerdict = point.time
            let continues = run.map { abs(score) > hysteresis * sensitivity && ($0.peakScore >= 0) == (score >= 0) } ?? false
            guard point.isAnomalous || continues else {
                close()
                continue
            }
            if var current = run {
                current.end = point.time
                if abs(score) > abs(current.peakScore) { current.peakScore = score }
                if current.firedAt == Int64.max, current.end - current.start >= minimumDuration { current.firedAt = point.time }
                run = current
            } else {
                run = AnomalyAlarm(start: point.time, firedAt: minimumDuration <= 0 ? point.time : Int64.max,
                                   end: point.time, peakScore: score)
            }
        }
        close()
        return alarms
    }
}
