/// Median and median absolute deviation: the robust location and scale the
/// anomaly baseline is built on. One outlier in the reference moves neither
/// (the mean and the standard deviation move with every outlier), so a
/// spike in the history does not widen tomorrow's band.
public enum RobustStatistics {
    /// 1.4826 × MAD estimates the standard deviation of normal data.
    public static let madToSigma = 1.4826
    /// 1.2533 × mean absolute deviation estimates it too (used when the MAD
    /// is 0 because more than half of the values are equal).
    public static let meanDeviationToSigma = 1.2533

    /// The median of `values`, which it sorts; nil when there are none.
    public static func median(sorting values: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        values.sort()
        return medianOfSorted(values[...])
    }

    /// The median of values already in ascending order (not empty).
    public static func medianOfSorted(_ sorted: ArraySlice<Double>) -> Double {
        let count = sorted.count
        let middle = sorted.startIndex + count / 2
        return count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median and a robust standard deviation of the finite values.
    ///
    /// The spread is 1.4826 × MAD; when the MAD is 0 (a constant series, or
    /// counts that are mostly one number) it falls back to 1.2533 × the
    /// mean absolute deviation, but never below 1% of the median's
    /// magnitude (nor `floor`): a change of a nearly constant series is an
    /// anomaly only when it is more than a rounding difference, even after
    /// a few such differences entered the reference.
    public static func locationAndSpread(_ values: [Double], floor: Double = 1e-9) -> (median: Double, spread: Double)? {
        var finite = values.filter(\.isFinite)
        guard let median = median(sorting: &finite) else { return nil }
        var deviations = finite.map { abs($0 - median) }
        let mad = self.median(sorting: &deviations) ?? 0
        var spread = mad * madToSigma
        if spread == 0 {
            let meanDeviation = deviations.reduce(0, +) / Double(deviations.count)
            spread = Swift.max(meanDeviation * meanDeviationToSigma, abs(median) * 0.01, floor)
        }
        return (median, spread)
    }
}
