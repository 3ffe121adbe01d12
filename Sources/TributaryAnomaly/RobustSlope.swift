import TributaryQuery

/// A line fitted robustly (Theil–Sen): the median of the slopes between
/// pairs of points, and the median intercept. A few outliers or a short
/// spike do not tilt it, unlike least squares (`predict_linear`).
///
/// To bound the cost, the points are first reduced to at most `bins`
/// medians over equal time slices, so a fit costs O(n + bins²) whatever
/// the window holds.
public struct RobustSlope: Sendable, Equatable {
    /// Units per second.
    public var slope: Double
    /// The fitted value at `reference` (ns).
    public var level: Double
    public var reference: Int64

    public init(slope: Double, level: Double, reference: Int64) {
        self.slope = slope
        self.level = level
        self.reference = reference
    }

    /// The fit of the finite points, evaluated at `reference`; nil with
    /// fewer than `minimumPoints` points or a single instant.
    public static func fit(timestamps: [Int64], values: [Double], reference: Int64, bins: Int = 64, minimumPoints: Int = 10) -> RobustSlope? {
        let points = zip(timestamps, values).filter { $0.1.isFinite }
        guard points.count >= minimumPoints, let first = points.first?.0, let last = points.last?.0, last > first else { return nil }
        let width = Swift.max(1, (last - first) / Int64(Swift.max(1, bins)) + 1)
        var buckets: [Int: [(Int64, Double)]] = [:]
        for point in points {
            buckets[Int((point.0 - first) / width), default: []].append(point)
        }
        // Each slice: median time (seconds from `reference`) and median value.
        var xs: [Double] = [], ys: [Double] = []
        for key in buckets.keys.sorted() {
            guard let slice = buckets[key] else { continue }
            var times = slice.map { Double($0.0 - reference) / 1e9 }
            var slicedValues = slice.map(\.1)
            guard let x = RobustStatistics.median(sorting: &times), let y = RobustStatistics.median(sorting: &slicedValues) else { continue }
            xs.append(x)
            ys.append(y)
        }
        var slopes: [Double] = []
        for i in 0..<xs.count {
            for j in (i + 1)..<Swift.max(i + 1, xs.count) where xs[j] != xs[i] {
                slopes.append((ys[j] - ys[i]) / (xs[j] - xs[i]))
            }
        }
        guard let slope = RobustStatistics.median(sorting: &slopes) else { return nil }
        var intercepts = zip(xs, ys).map { $1 - slope * $0 }
        guard let level = RobustStatistics.median(sorting: &intercepts) else { return nil }
        return RobustSlope(slope: slope, level: level, reference: reference)
    }

    /// When the line reaches `threshold` (ns), at or after `reference`:
    /// `reference` when it is already there, nil when it never will.
    public func crossing(_ threshold: Double, startingAbove: Bool) -> Int64? {
        if startingAbove ? level <= threshold : level >= threshold { return reference }
        guard slope != 0, (slope < 0) == startingAbove else { return nil }
        let seconds = (threshold - level) / slope
        guard seconds.isFinite, seconds >= 0, seconds < 9e9 else { return nil }
        return reference.addingReportingOverflow(Int64(seconds * 1e9)).overflow ? nil : reference + Int64(seconds * 1e9)
    }
}
