/// The time line of a LogQL range aggregation cut at every window edge.
///
/// Each step t has the window (t − offset − range, t − offset] (left-open,
/// right-closed, as Loki). Sorting all edges gives at most 2 × steps
/// boundaries B; elementary interval k is (B[k−1], B[k]], every line falls
/// in at most one of them, and step i's window is exactly the intervals
/// `windowStart[i] + 1 … windowEnd[i]`. Partial aggregates are kept per
/// interval, so memory is series × intervals, never lines, and partials
/// computed over different data (a cluster's nodes) merge interval by
/// interval.
public struct LogRangeGrid: Sendable, Equatable {
    /// Ascending, unique.
    public let boundaries: [Int64]
    /// Per step: the boundary index where its window opens and closes.
    public let windowStart: [Int]
    public let windowEnd: [Int]
    /// Whether interval k lies in some window (lines in gaps between
    /// windows, when step > range, are ignored).
    public let used: [Bool]

    public init(range: Int64, offset: Int64, steps: QuerySteps) throws(LogPipelineError) {
        guard range > 0 else { throw LogPipelineError("the range of a LogQL range aggregation must be positive") }
        guard steps.step > 0, steps.end >= steps.start else { throw LogPipelineError("the query's step must be positive and its end not before its start") }
        var ends: [Int64] = []
        var starts: [Int64] = []
        let count = steps.count
        ends.reserveCapacity(count)
        starts.reserveCapacity(count)
        for index in 0..<count {
            let (time, overflow) = Int64(index).multipliedReportingOverflow(by: steps.step)
            let (stepTime, overflowAgain) = steps.start.addingReportingOverflow(time)
            let (end, overflowEnd) = stepTime.subtractingReportingOverflow(offset)
            let (start, overflowStart) = end.subtractingReportingOverflow(range)
            guard !overflow, !overflowAgain, !overflowEnd, !overflowStart else {
                throw LogPipelineError("the query's windows reach outside the representable times (years 1678–2262): use a smaller range or offset")
            }
            ends.append(end)
            starts.append(start)
        }
        var all = (starts + ends).sorted()
        var unique: [Int64] = []
        unique.reserveCapacity(all.count)
        for value in all where unique.last != value { unique.append(value) }
        all = unique
        func position(_ value: Int64) -> Int {
            var low = 0, high = all.count - 1
            while low < high {
                let middle = (low + high) / 2
                if all[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var used = [Bool](repeating: false, count: all.count)
        var windowStart: [Int] = [], windowEnd: [Int] = []
        for index in 0..<count {
            let open = position(starts[index]), close = position(ends[index])
            windowStart.append(open)
            windowEnd.append(close)
            if open < close { for interval in (open + 1)...close { used[interval] = true } }
        }
        boundaries = all
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.used = used
    }

    /// The interval holding `time`, or nil when no window needs it.
    /// `hint` (the last answer) makes in-order lines O(1).
    func interval(of time: Int64, hint: Int) -> Int? {
        if hint > 0, hint < boundaries.count, boundaries[hint - 1] < time, time <= boundaries[hint] { return used[hint] ? hint : nil }
        guard let first = boundaries.first, let last = boundaries.last, time > first, time <= last else { return nil }
        var low = 1, high = boundaries.count - 1
        while low < high {
            let middle = (low + high) / 2
            if boundaries[middle] < time { low = middle + 1 } else { high = middle }
        }
        return used[low] ? low : nil
    }

    /// The lines any window needs: (first boundary, last boundary].
    var readRange: (from: Int64, to: Int64) {
        ((boundaries.first ?? 0) + 1, boundaries.last ?? 0)
    }
}
