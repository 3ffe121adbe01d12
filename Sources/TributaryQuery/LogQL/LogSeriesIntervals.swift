/// One output series' aggregates, only for the intervals where it has
/// lines (sorted by interval), so a series that logs rarely costs little.
public struct LogSeriesIntervals: Sendable, Equatable {
    public private(set) var intervals: [Int32] = []
    public private(set) var aggregates: [LogIntervalAggregate] = []

    public init() {}

    /// A series' intervals as another node sent them (`intervals`
    /// ascending, one aggregate each).
    public init(intervals: [Int32], aggregates: [LogIntervalAggregate]) {
        precondition(intervals.count == aggregates.count, "one aggregate per interval")
        self.intervals = intervals
        self.aggregates = aggregates
    }

    /// Adds a value; true when a new interval was opened (for the memory bound).
    mutating func add(interval: Int, time: Int64, value: Double, keepSample: Bool) -> Bool {
        let key = Int32(interval)
        if let last = intervals.last, last == key {
            aggregates[aggregates.count - 1].add(time: time, value: value, keepSample: keepSample)
            return false
        }
        let position = insertionPoint(key)
        if position < intervals.count, intervals[position] == key {
            aggregates[position].add(time: time, value: value, keepSample: keepSample)
            return false
        }
        var aggregate = LogIntervalAggregate()
        aggregate.add(time: time, value: value, keepSample: keepSample)
        intervals.insert(key, at: position)
        aggregates.insert(aggregate, at: position)
        return true
    }

    /// Merges another partial of the same series (the same grid).
    public mutating func merge(_ other: LogSeriesIntervals) {
        var mergedIntervals: [Int32] = []
        var mergedAggregates: [LogIntervalAggregate] = []
        mergedIntervals.reserveCapacity(intervals.count + other.intervals.count)
        mergedAggregates.reserveCapacity(intervals.count + other.intervals.count)
        var left = 0, right = 0
        while left < intervals.count || right < other.intervals.count {
            if right >= other.intervals.count || (left < intervals.count && intervals[left] < other.intervals[right]) {
                mergedIntervals.append(intervals[left])
                mergedAggregates.append(aggregates[left])
                left += 1
            } else if left >= intervals.count || other.intervals[right] < intervals[left] {
                mergedIntervals.append(other.intervals[right])
                mergedAggregates.append(other.aggregates[right])
                right += 1
            } else {
                var aggregate = aggregates[left]
                aggregate.merge(other.aggregates[right])
                mergedIntervals.append(intervals[left])
                mergedAggregates.append(aggregate)
                left += 1
                right += 1
            }
        }
        intervals = mergedIntervals
        aggregates = mergedAggregates
    }

    /// The first position whose interval is ≥ `key`.
    func insertionPoint(_ key: Int32) -> Int {
        var low = 0, high = intervals.count
        while low < high {
            let middle = (low + high) / 2
            if intervals[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The merged aggregate of intervals `first…last` (nil when empty).
    func window(_ first: Int, _ last: Int) -> LogIntervalAggregate? {
        guard first <= last else { return nil }
        var position = insertionPoint(Int32(first))
        var result: LogIntervalAggregate? = nil
        while position < intervals.count, Int(intervals[position]) <= last {
            if result == nil { result = aggregates[position] } else { result?.merge(aggregates[position]) }
            position += 1
        }
        return result
    }
}
