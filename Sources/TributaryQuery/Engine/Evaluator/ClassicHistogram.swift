/// Quantiles and fractions of classic histograms (`_bucket` series with an
/// `le` label), as Prometheus' `BucketQuantile` and `BucketFraction`
/// (promql/quantile.go), including its monotonicity fixes.
enum ClassicHistogram {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// Relative difference under which neighbouring bucket counts are taken
    /// as equal (floating-point noise from rate()).
    static let smallDeltaTolerance = 1e-12

    /// The quantile and whether counts had to be forced to be monotonic.
    static func quantile(_ q: Double, _ input: [Bucket]) -> (value: Double, forcedMonotonic: Bool) {
        if q.isNaN { return (.nan, false) }
        if q < 0 { return (-.infinity, false) }
        if q > 1 { return (.infinity, false) }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return (.nan, false) }
        buckets = coalesce(buckets)
        let forced = ensureMonotonic(&buckets)
        guard buckets.count >= 2 else { return (.nan, forced) }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return (.nan, forced) }
        var rank = q * observations
        // The first bucket (of all but the last) whose count reaches the rank.
        var b = buckets.count - 1
        for index in 0..<(buckets.count - 1) where buckets[index].count >= rank {
            b = index
            break
        }
        if b == buckets.count - 1 { return (buckets[buckets.count - 2].upperBound, forced) }
        if b == 0, buckets[0].upperBound <= 0 { return (buckets[0].upperBound, forced) }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return (bucketStart + (bucketEnd - bucketStart) * (rank / count), forced)
    }

    static func fraction(_ lower: Double, _ upper: Double, _ input: [Bucket]) -> Double {
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        buckets = coalesce(buckets)
        let count = buckets[buckets.count - 1].count
        if count == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        var rank = 0.0, lowerRank = 0.0, upperRank = 0.0
        var lowerSet = false, upperSet = false
        var lowerBound = buckets[0].upperBound <= 0 ? -Double.infinity : 0
        for (index, bucket) in buckets.enumerated() {
            if index > 0 { lowerBound = buckets[index - 1].upperBound }
            let upperBound = bucket.upperBound
            func interpolate(_ v: Double) -> Double {
                if lowerBound == -.infinity { return bucket.count }
                return rank + (bucket.count - rank) * (v - lowerBound) / (upperBound - lowerBound)
            }
            if !lowerSet, lowerBound >= lower {
                lowerRank = rank
                lowerSet = true
            }
            if !upperSet, lowerBound >= upper {
                upperRank = rank
                upperSet = true
            }
            if lowerSet, upperSet { break }
            if !lowerSet, lowerBound < lower, upperBound > lower {
                lowerRank = interpolate(lower)
                lowerSet = true
            }
            if !upperSet, lowerBound < upper, upperBound > upper {
                upperRank = interpolate(upper)
                upperSet = true
            }
            if lowerSet, upperSet { break }
            rank = bucket.count
        }
        if !lowerSet || lowerRank > count { lowerRank = count }
        if !upperSet || upperRank > count { upperRank = count }
        return (upperRank - lowerRank) / count
    }

    private static func coalesce(_ buckets: [Bucket]) -> [Bucket] {
        var result: [Bucket] = []
        result.reserveCapacity(buckets.count)
        for bucket in buckets {
            if let last = result.last, last.upperBound == bucket.upperBound {
                result[result.count - 1].count += bucket.count
            } else {
                result.append(bucket)
            }
        }
        return result
    }

    private static func ensureMonotonic(_ buckets: inout [Bucket]) -> Bool {
        var forced = false
        var previous = buckets[0].count
        for index in 1..<buckets.count {
            let current = buckets[index].count
            if current == previous { continue }
            if almostEqual(previous, current, tolerance: smallDeltaTolerance) {
                buckets[index].count = previous
                continue
            }
            if current < previous {
                buckets[index].count = previous
                forced = true
                continue
            }
            previous = current
        }
        return forced
    }

    /// Prometheus' `almost.Equal`.
    static func almostEqual(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
        if a.isNaN, b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < tolerance * minNormal }
        return diff / min(absSum, Double.greatestFiniteMagnitude) < tolerance
    }
}
