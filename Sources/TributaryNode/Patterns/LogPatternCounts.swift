/// One pattern's lines per time bucket, oldest first, and when it was
/// first seen (the earliest line timestamp counted, ns).
struct LogPatternCounts: Sendable {
    var firstSeen: Int64
    /// (bucket start ns, lines), ascending by bucket, at most `retained`.
    var buckets: [(start: Int64, lines: Int)] = []

    init(firstSeen: Int64) {
        self.firstSeen = firstSeen
    }

    mutating func add(_ lines: Int, at timestamp: Int64, bucket: Int64, retained: Int) {
        firstSeen = min(firstSeen, timestamp)
        let start = Self.floor(timestamp, bucket)
        if let last = buckets.last, last.start == start {
            buckets[buckets.count - 1].lines += lines
        } else if let index = buckets.firstIndex(where: { $0.start >= start }) {
            if buckets[index].start == start { buckets[index].lines += lines } else { buckets.insert((start, lines), at: index) }
        } else {
            buckets.append((start, lines))
        }
        if buckets.count > retained { buckets.removeFirst(buckets.count - retained) }
    }

    mutating func merge(_ other: LogPatternCounts, bucket: Int64, retained: Int) {
        firstSeen = min(firstSeen, other.firstSeen)
        for entry in other.buckets { add(entry.lines, at: entry.start, bucket: bucket, retained: retained) }
    }

    /// Lines in buckets starting within [from, to].
    func lines(from: Int64, to: Int64) -> Int {
        buckets.reduce(0) { $0 + ($1.start >= from && $1.start <= to ? $1.lines : 0) }
    }

    /// The start of the bucket holding `timestamp` (checked: the earliest
    /// representable times clamp to `Int64.min` instead of trapping).
    static func floor(_ timestamp: Int64, _ bucket: Int64) -> Int64 {
        let remainder = timestamp % bucket
        let down = timestamp - remainder
        guard remainder < 0 else { return down }
        let (result, overflow) = down.subtractingReportingOverflow(bucket)
        return overflow ? .min : result
    }
}
