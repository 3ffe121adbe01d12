/// A moving window of values kept sorted, for the baseline of one point
/// after another without sorting the whole history again each time.
///
/// Adding or removing a value is a binary search and one move of the
/// array's tail; the median is read directly and the MAD is found by
/// walking outward from the median (the deviations on each side are
/// already in order), so one estimate costs O(n) instead of O(n log n).
/// The values are the same as `RobustStatistics.locationAndSpread` of the
/// window's values.
public struct SlidingReference: Sendable {
    private(set) var sorted: [Double] = []

    public init() {}

    public init(values: [Double]) {
        sorted = values.filter(\.isFinite).sorted()
    }

    public var count: Int { sorted.count }

    /// Adds a value (non-finite values are not part of any baseline).
    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        sorted.insert(value, at: insertionIndex(value))
    }

    /// Removes one occurrence of a value that was added.
    public mutating func remove(_ value: Double) {
        guard value.isFinite else { return }
        let index = insertionIndex(value)
        if index < sorted.count, sorted[index] == value { sorted.remove(at: index) }
    }

    /// The median and robust spread, with `RobustStatistics`' fallbacks.
    public func locationAndSpread(floor: Double = 1e-9) -> (median: Double, spread: Double)? {
        let count = sorted.count
        guard count > 0 else { return nil }
        let median = RobustStatistics.medianOfSorted(sorted[...])
        // Merge the deviations left and right of the median in ascending
        // order until the middle one(s) are reached.
        // Left of index count/2 and from it on: every value exactly once.
        var left = count / 2 - 1
        var right = count / 2
        let wanted = count / 2
        var lowerMiddle = 0.0, upperMiddle = 0.0
        for position in 0...wanted {
            let leftDeviation = left >= 0 ? median - sorted[left] : Double.infinity
            let rightDeviation = right < count ? sorted[right] - median : Double.infinity
            let deviation: Double
            if leftDeviation <= rightDeviation {
                deviation = leftDeviation
                left -= 1
            } else {
                deviation = rightDeviation
                right += 1
            }
            if position == wanted - 1 { lowerMiddle = deviation }
            if position == wanted { upperMiddle = deviation }
        }
        let mad = count % 2 == 1 ? upperMiddle : (lowerMiddle + upperMiddle) / 2
        var spread = mad * RobustStatistics.madToSigma
        if spread == 0 {
            let total = sorted.reduce(0) { $0 + abs($1 - median) }
            spread = Swift.max(total / Double(count) * RobustStatistics.meanDeviationToSigma, abs(median) * 0.01, floor)
        }
        return (median, spread)
    }

    private func insertionIndex(_ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
