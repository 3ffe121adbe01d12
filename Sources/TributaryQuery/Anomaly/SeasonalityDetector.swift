/// Decides whether a series repeats with a daily or weekly period, from the
/// history it has.
///
/// The series is averaged into 48 bins per candidate period, the trend is
/// removed (each bin minus the centred moving average over one period, so a
/// steadily growing series is not mistaken for a seasonal one), and the
/// autocorrelation of what is left at a lag of one period decides: a
/// period is seasonal when that correlation is at least `threshold` over at
/// least half a cycle of pairs. A period needs two cycles of history to
/// be considered at all; with less the series is treated as not seasonal.
public struct SeasonalityDetector: Sendable {
    public static let day: Int64 = 86_400_000_000_000
    public static let week: Int64 = 7 * day
    public static let binsPerPeriod = 48

    public var candidates: [Int64]
    public var threshold: Double

    public init(candidates: [Int64] = [SeasonalityDetector.day, SeasonalityDetector.week], threshold: Double = 0.5) {
        self.candidates = candidates
        self.threshold = threshold
    }

    /// The period with the strongest correlation at or above the threshold
    /// (a shorter one wins ties within 0.05), or nil.
    public func detect(timestamps: [Int64], values: [Double]) -> Int64? {
        var best: (period: Int64, correlation: Double)?
        for period in candidates.sorted() where period > 0 {
            guard let correlation = correlation(timestamps: timestamps, values: values, period: period),
                  correlation >= threshold else { continue }
            if let current = best, correlation <= current.correlation + 0.05 { continue }
            best = (period, correlation)
        }
        return best?.period
    }

    /// The detrended autocorrelation at a lag of `period`, nil when the
    /// history is shorter than two periods or too sparse.
    public func correlation(timestamps: [Int64], values: [Double], period: Int64) -> Double? {
        guard let first = timestamps.first, let last = timestamps.last else { return nil }
        let (span, overflow) = last.subtractingReportingOverflow(first)
        let lag = Self.binsPerPeriod
        let width = period / Int64(lag)
        guard !overflow, width > 0, span >= 2 * period - width else { return nil }
        let count = Int(span / width) + 1
        var sums = [Double](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: count)
        for (index, time) in timestamps.enumerated() where values[index].isFinite {
            let bin = Int((time - first) / width)
            sums[bin] += values[index]
            counts[bin] += 1
        }
        let means: [Double?] = (0..<count).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
        // Centred moving average over one period (the bins that exist).
        var prefix = [Double](repeating: 0, count: count + 1)
        var present = [Int](repeating: 0, count: count + 1)
        for bin in 0..<count {
            prefix[bin + 1] = prefix[bin] + (means[bin] ?? 0)
            present[bin + 1] = present[bin] + (means[bin] == nil ? 0 : 1)
        }
        var residuals = [Double?](repeating: nil, count: count)
        for bin in 0..<count {
            guard let mean = means[bin] else { continue }
            let low = Swift.max(0, bin - lag / 2), high = Swift.min(count, bin + lag / 2 + 1)
            let n = present[high] - present[low]
            guard n > lag / 2 else { continue }
            residuals[bin] = mean - (prefix[high] - prefix[low]) / Double(n)
        }
        var product = 0.0, left = 0.0, right = 0.0, pairs = 0
        for bin in lag..<Swift.max(lag, count) {
            guard let a = residuals[bin], let b = residuals[bin - lag] else { continue }
            product += a * b
            left += a * a
            right += b * b
            pairs += 1
        }
        guard pairs >= lag / 2, left > 0, right > 0 else { return nil }
        return product / (left * right).squareRoot()
    }
}
