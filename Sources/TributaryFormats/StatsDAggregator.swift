/// Aggregates StatsD metrics over a flush interval, as statsd and Telegraf
/// do, into Prometheus-style samples.
///
/// - Counters: `value / sampleRate` added to a running total per series,
///   reported every flush as the counter `name`. The total is kept across
///   flushes (never reset), so it is monotonic: `rate()` and `increase()`
///   give per-second and per-interval figures, and a lost flush loses
///   nothing. There is deliberately no second per-interval series: it would
///   double the series count for what `increase()` already gives. Negative
///   increments would break monotonicity (read as a counter reset), so they
///   are ignored and counted in `rejectedMetrics`.
/// - Gauges: the last value, a delta (`+3`, `-2`) adjusting it (from 0 for
///   a new gauge); sample rates do not apply. Reported every flush.
/// - Timers (`ms`, `h`, `d`), per interval only: gauges `name_count` and
///   `name_sum` (each value counted `1 / sampleRate` times, as Telegraf
///   does), `name_min`, `name_max`, `name_mean` (sum / count), and
///   percentiles as the gauge `name` with the label `quantile` = "0.5",
///   "0.9" and "0.99" (nearest rank over the kept values, like a Prometheus
///   summary). At most `maxTimerSamples` values are kept per series and
///   interval (reservoir sampling beyond that); count, sum, min and max
///   always use every value. A timer with no values in an interval is not
///   reported.
/// - Sets: the number of distinct members in the interval (gauge `name`),
///   exact up to `maxSetMembers`, after which it stays at that number.
///
/// Memory is bounded by `maxSeries` series held at once (counters, gauges,
/// and this interval's timers and sets; a name used with two types is two
/// series): a metric that would add a series beyond it is dropped and
/// counted in `droppedSeries`. Counters and gauges are kept for good unless
/// `expireAfterIdleFlushes` is set.
///
/// Names become `[A-Za-z_:][A-Za-z0-9_:]*` and tag keys label names
/// `[A-Za-z_][A-Za-z0-9_]*` (see `PrometheusName`); a tag repeated keeps its
/// last value, and a bare tag gets the value "true" (as Telegraf does),
/// since an empty label value means no label at all.
public struct StatsDAggregator: Sendable {
    struct SeriesKey: Hashable, Sendable {
        var name: String
        /// Sorted by key, keys unique.
        var labels: [KeyValue]
    }

    /// A counter's total or a gauge's value, and the interval (flush
    /// number) it last changed in.
    struct Retained: Sendable {
        var value: Double
        var lastUpdate: Int
    }

    struct TimerState: Sendable {
        var count: Double
        var sum: Double
        var min: Double
        var max: Double
        /// Values seen this interval, for the reservoir.
        var seen: Int
        var reservoir: [Double]
    }

    /// Most members a set remembers per interval.
    public static let maxSetMembers = 10_000
    static let quantiles: [(Double, String)] = [(0.5, "0.5"), (0.9, "0.9"), (0.99, "0.99")]

    public let maxSeries: Int
    public let maxTimerSamples: Int
    /// When set, a counter or gauge that receives nothing for this many
    /// consecutive intervals is reported one last time at the end of the
    /// last of them and then forgotten, freeing its series slot (a counter
    /// that comes back starts again from zero, which `rate()` reads as a
    /// reset). nil keeps them for good.
    public let expireAfterIdleFlushes: Int?
    /// Metrics dropped because they would have added a series beyond
    /// `maxSeries` (each such metric counts, not each distinct series).
    public private(set) var droppedSeries = 0
    /// Metrics ignored because they cannot be aggregated: non-finite
    /// values, negative counter increments, sets without a member.
    public private(set) var rejectedMetrics = 0

    private var counters: [SeriesKey: Retained] = [:]
    private var gauges: [SeriesKey: Retained] = [:]
    private var timers: [SeriesKey: TimerState] = [:]
    private var sets: [SeriesKey: Set<String>] = [:]
    /// Flushes so far: the number of the interval being aggregated.
    private var interval = 0
    private var random: SplitMix64

    public init(maxSeries: Int = 10_000, maxTimerSamples: Int = 1_000, expireAfterIdleFlushes: Int? = nil) {
        self.init(maxSeries: maxSeries, maxTimerSamples: maxTimerSamples, expireAfterIdleFlushes: expireAfterIdleFlushes,
                  seed: UInt64.random(in: .min ... .max))
    }

    /// With a fixed seed for the reservoir, for tests.
    init(maxSeries: Int, maxTimerSamples: Int, expireAfterIdleFlushes: Int?, seed: UInt64) {
        self.maxSeries = max(0, maxSeries)
        self.maxTimerSamples = max(1, maxTimerSamples)
        self.expireAfterIdleFlushes = expireAfterIdleFlushes.map { max(1, $0) }
        random = SplitMix64(seed: seed)
    }

    /// Series held right now.
    public var seriesCount: Int { counters.count + gauges.count + timers.count + sets.count }

    public mutating func add(_ metric: StatsDMetric) {
        guard metric.value.isFinite else {
            rejectedMetrics += 1
            return
        }
        // Also false for NaN, so a bad rate counts as 1.
        let rate = metric.sampleRate > 0 && metric.sampleRate <= 1 ? metric.sampleRate : 1
        let key = SeriesKey(name: PrometheusName.metric(metric.name), labels: Self.labels(metric.tags))
        switch metric.kind {
        case .counter:
            guard metric.value >= 0 else {
                rejectedMetrics += 1
                return
            }
            if let index = counters.index(forKey: key) {
                counters.values[index].value += metric.value / rate
                counters.values[index].lastUpdate = interval
            } else if admit() {
                counters[key] = Retained(value: metric.value / rate, lastUpdate: interval)
            }
        case .gauge(let delta):
            if let index = gauges.index(forKey: key) {
                gauges.values[index].value = delta ? gauges.values[index].value + metric.value : metric.value
                gauges.values[index].lastUpdate = interval
            } else if admit() {
                gauges[key] = Retained(value: metric.value, lastUpdate: interval)
            }
        case .timer:
            if let index = timers.index(forKey: key) {
                // In place through `values`: taking the state out and back
                // would copy the reservoir on every value.
                timers.values[index].count += 1 / rate
                timers.values[index].sum += metric.value / rate
                timers.values[index].min = Swift.min(timers.values[index].min, metric.value)
                timers.values[index].max = Swift.max(timers.values[index].max, metric.value)
                timers.values[index].seen += 1
                if timers.values[index].reservoir.count < maxTimerSamples {
                    timers.values[index].reservoir.append(metric.value)
                } else {
                    // Algorithm R: the n-th value replaces a kept one with
                    // probability maxTimerSamples / n.
                    let slot = Int.random(in: 0..<timers.values[index].seen, using: &random)
                    if slot < maxTimerSamples { timers.values[index].reservoir[slot] = metric.value }
                }
            } else if admit() {
                var reservoir: [Double] = []
                reservoir.reserveCapacity(Swift.min(maxTimerSamples, 16))
                reservoir.append(metric.value)
                timers[key] = TimerState(count: 1 / rate, sum: metric.value / rate, min: metric.value, max: metric.value,
                                         seen: 1, reservoir: reservoir)
            }
        case .set:
            guard let member = metric.setMember else {
                rejectedMetrics += 1
                return
            }
            if let index = sets.index(forKey: key) {
                if sets.values[index].count < Self.maxSetMembers { sets.values[index].insert(member) }
            } else if admit() {
                sets[key] = [member]
            }
        }
    }

    private mutating func admit() -> Bool {
        guard seriesCount < maxSeries else {
            droppedSeries += 1
            return false
        }
        return true
    }

    /// Everything aggregated since the last flush, sorted by name and
    /// labels; then resets per-interval state (timers, sets).
    public mutating func flush() -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        samples.reserveCapacity(counters.count + gauges.count + timers.count * 8 + sets.count)
        for (key, counter) in counters {
            samples.append(AggregatedSample(name: key.name, labels: key.labels, value: counter.value, kind: .counter))
        }
        for (key, gauge) in gauges {
            samples.append(AggregatedSample(name: key.name, labels: key.labels, value: gauge.value, kind: .gauge))
        }
        for (key, timer) in timers {
            for (suffix, value) in [("_count", timer.count), ("_sum", timer.sum), ("_min", timer.min), ("_max", timer.max),
                                    ("_mean", timer.sum / timer.count)] {
                samples.append(AggregatedSample(name: key.name + suffix, labels: key.labels, value: value, kind: .gauge))
            }
            let sorted = timer.reservoir.sorted()
            for (quantile, text) in Self.quantiles {
                samples.append(AggregatedSample(name: key.name, labels: Self.setting(KeyValue("quantile", text), in: key.labels),
                                                value: Self.nearestRank(quantile, in: sorted), kind: .gauge))
            }
        }
        for (key, members) in sets {
            samples.append(AggregatedSample(name: key.name, labels: key.labels, value: Double(members.count), kind: .gauge))
        }
        timers.removeAll()
        sets.removeAll()
        if let limit = expireAfterIdleFlushes {
            let current = interval
            counters = counters.filter { current - $0.value.lastUpdate < limit }
            gauges = gauges.filter { current - $0.value.lastUpdate < limit }
        }
        interval += 1
        samples.sort(by: AggregatedSample.precedes)
        return samples
    }

    /// The value at rank ⌈q·n⌉ (1-based) of sorted, non-empty `values`.
    static func nearestRank(_ quantile: Double, in values: [Double]) -> Double {
        // The small slack keeps q·n that should be whole (0.9 · 10) from
        // rounding up past it.
        let rank = Int((quantile * Double(values.count) - 1e-9).rounded(.up))
        return values[Swift.min(Swift.max(rank, 1), values.count) - 1]
    }

    /// Tags as labels: sanitized keys, sorted, the last of a repeated key
    /// winning, empty values as "true", tags whose key is empty dropped.
    static func labels(_ tags: [KeyValue]) -> [KeyValue] {
        guard !tags.isEmpty else { return [] }
        var indexed: [(label: KeyValue, order: Int)] = []
        indexed.reserveCapacity(tags.count)
        for (order, tag) in tags.enumerated() {
            guard let key = PrometheusName.label(tag.key) else { continue }
            indexed.append((KeyValue(key, tag.value.isEmpty ? "true" : tag.value), order))
        }
        // Sorting on (key, order) keeps this O(n log n) for packets with
        // thousands of tags.
        indexed.sort { $0.label.key != $1.label.key ? $0.label.key < $1.label.key : $0.order < $1.order }
        var labels: [KeyValue] = []
        labels.reserveCapacity(indexed.count)
        for entry in indexed {
            if labels.last?.key == entry.label.key {
                labels[labels.count - 1] = entry.label
            } else {
                labels.append(entry.label)
            }
        }
        return labels
    }

    /// `labels` with `label` added or replacing the one with its key, still
    /// sorted.
    static func setting(_ label: KeyValue, in labels: [KeyValue]) -> [KeyValue] {
        var result = labels.filter { $0.key != label.key }
        result.insert(label, at: result.firstIndex { $0.key > label.key } ?? result.endIndex)
        return result
    }

    /// How many values a timer series keeps this interval, for tests.
    func reservoirSize(name: String, labels: [KeyValue] = []) -> Int? {
        timers[SeriesKey(name: name, labels: labels)]?.reservoir.count
    }
}
