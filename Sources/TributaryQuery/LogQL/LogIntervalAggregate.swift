/// What a range aggregation needs to know of the lines of one series in one
/// elementary interval (see `LogRangeGrid`). Every field merges: counts and
/// sums add, min/max/first/last compare, mean and M2 combine by Chan's
/// formula, so aggregates of the same interval from different nodes (or of
/// adjacent intervals into a window) merge into the aggregate of their
/// union. Raw `samples` are kept only when the function needs them.
public struct LogIntervalAggregate: Sendable, Equatable {
    public var count: Int64 = 0
    public var sum: Double = 0
    public var min: Double = .nan
    public var max: Double = .nan
    public var firstTime: Int64 = .max
    public var firstValue: Double = .nan
    public var lastTime: Int64 = .min
    public var lastValue: Double = .nan
    /// Running mean and sum of squared deviations (Welford), for avg/stddev/stdvar.
    public var mean: Double = 0
    public var m2: Double = 0
    /// Every (time, value) when the function needs them; nil otherwise.
    public var samples: [LogSample]? = nil

    public init() {}

    mutating func add(time: Int64, value: Double, keepSample: Bool) {
        count += 1
        sum += value
        if value > max || max.isNaN { max = value }
        if value < min || min.isNaN { min = value }
        if time < firstTime {
            firstTime = time
            firstValue = value
        }
        if time >= lastTime {
            lastTime = time
            lastValue = value
        }
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
        if keepSample {
            if samples == nil { samples = [] }
            samples?.append(LogSample(time: time, value: value))
        }
    }

    /// Adds `other`'s lines to this aggregate.
    public mutating func merge(_ other: LogIntervalAggregate) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let total = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / total
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / total
        count += other.count
        sum += other.sum
        if other.max > max || max.isNaN { max = other.max }
        if other.min < min || min.isNaN { min = other.min }
        if other.firstTime < firstTime {
            firstTime = other.firstTime
            firstValue = other.firstValue
        }
        if other.lastTime >= lastTime {
            lastTime = other.lastTime
            lastValue = other.lastValue
        }
        if let more = other.samples {
            if samples == nil { samples = [] }
            samples?.append(contentsOf: more)
        }
    }
}
