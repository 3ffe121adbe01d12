/// Aggregates StatsD metrics over a flush interval.
///
/// - Counters: totals since the agent started (value / sample rate added
///   up), reported as counters every flush, so `rate()` works and a lost
///   flush loses nothing.
/// - Gauges: the last value (signed values adjust it), reported every flush.
/// - Timers: per interval `name_count`, `name_sum`, `name_min`, `name_max`,
///   `name_mean` and `name` with `quantile="0.5"|"0.9"|"0.99"` (gauges), from
///   at most `maxTimerSamples` values per series (reservoir sampling beyond;
///   count, sum, min and max stay exact). Nothing is reported for a timer
///   without values in the interval.
/// - Sets: the number of distinct members in the interval (gauge).
///
/// Memory is bounded by `maxSeries`; new series beyond it are dropped and
/// counted in `droppedSeries`. Names become `[A-Za-z_:][A-Za-z0-9_:]*`, tag
/// keys label names.
public struct StatsDAggregator: Sendable {
    struct Key: Hashable {
        var name: String
        var labels: [KeyValue]

        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for label in labels {
                hasher.combine(label.key)
                hasher.combine(label.value)
            }
        }
    }

    struct Timer {
        var count = 0.0
        var sum = 0.0
        var min = Double.infinity
        var max = -Double.infinity
        var samples: [Double] = []
        var seen = 0
    }

    public let maxSeries: Int
    public let maxTimerSamples: Int
    public private(set) var droppedSeries = 0
    private var counters: [Key: Double] = [:]
    private var gauges: [Key: Double] = [:]
    private var timers: [Key: Timer] = [:]
    private var sets: [Key: Set<String>] = [:]
    private var generator = SystemRandomNumberGenerator()

    public init(maxSeries: Int = 10_000, maxTimerSamples: Int = 1_000) {
        self.maxSeries = maxSeries
        self.maxTimerSamples = max(1, maxTimerSamples)
    }

    private var seriesCount: Int { counters.count + gauges.count + timers.count + sets.count }

    public mutating func add(_ metric: StatsDMetric) {
        let key = Key(name: Self.metricName(metric.name), labels: Self.labels(metric.tags))
        switch metric.kind {
        case .counter:
            guard counters[key] != nil || admit() else { return }
            counters[key, default: 0] += metric.value / metric.sampleRate
        case .gauge(let delta):
            guard gauges[key] != nil || admit() else { return }
            gauges[key] = delta ? (gauges[key] ?? 0) + metric.value : metric.value
        case .timer:
            guard timers[key] != nil || admit() else { return }
            var timer = timers[key] ?? Timer()
            timer.count += 1 / metric.sampleRate
            timer.sum += metric.value / metric.sampleRate
            timer.min = Swift.min(timer.min, metric.value)
            timer.max = Swift.max(timer.max, metric.value)
            timer.seen += 1
            if timer.samples.count < maxTimerSamples {
                timer.samples.append(metric.value)
            } else {
                let slot = Int.random(in: 0..<timer.seen, using: &generator)
                if slot < maxTimerSamples { timer.samples[slot] = metric.value }
            }
            timers[key] = timer
        case .set:
            guard sets[key] != nil || admit() else { return }
            if let member = metric.setMember, (sets[key]?.count ?? 0) < 100_000 { sets[key, default: []].insert(member) }
        }
    }

    private mutating func admit() -> Bool {
        guard seriesCount < maxSeries else {
            droppedSeries += 1
            return false
        }
        return true
    }

    public mutating func flush() -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for (key, value) in counters { samples.append(AggregatedSample(name: key.name, labels: key.labels, value: value, kind: .counter)) }
        for (key, value) in gauges { samples.append(AggregatedSample(name: key.name, labels: key.labels, value: value, kind: .gauge)) }
        for (key, timer) in timers where timer.seen > 0 {
            samples.append(AggregatedSample(name: key.name + "_count", labels: key.labels, value: timer.count, kind: .gauge))
            samples.append(AggregatedSample(name: key.name + "_sum", labels: key.labels, value: timer.sum, kind: .gauge))
            samples.append(AggregatedSample(name: key.name + "_min", labels: key.labels, value: timer.min, kind: .gauge))
            samples.append(AggregatedSample(name: key.name + "_max", labels: key.labels, value: timer.max, kind: .gauge))
            samples.append(AggregatedSample(name: key.name + "_mean", labels: key.labels, value: timer.sum / timer.count, kind: .gauge))
            let sorted = timer.samples.sorted()
            for (quantile, text) in [(0.5, "0.5"), (0.9, "0.9"), (0.99, "0.99")] {
                let index = Swift.min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)
                let labels = Self.insert(KeyValue("quantile", text), into: key.labels)
                samples.append(AggregatedSample(name: key.name, labels: labels, value: sorted[Swift.max(0, index)], kind: .gauge))
            }
        }
        for (key, members) in sets { samples.append(AggregatedSample(name: key.name, labels: key.labels, value: Double(members.count), kind: .gauge)) }
        timers = [:]
        sets = [:]
        return samples.sorted { ($0.name, $0.labels.map(\.value).joined(separator: ",")) < ($1.name, $1.labels.map(\.value).joined(separator: ",")) }
    }

    static func insert(_ label: KeyValue, into labels: [KeyValue]) -> [KeyValue] {
        var result = labels.filter { $0.key != label.key }
        result.append(label)
        return result.sorted { $0.key < $1.key }
    }

    static func metricName(_ name: String) -> String {
        var out = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            let ok = scalar.isASCII && (scalar.properties.isAlphabetic || scalar == "_" || scalar == ":" || (index > 0 && ("0"..."9").contains(scalar)))
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }

    static func labels(_ tags: [KeyValue]) -> [KeyValue] {
        var byKey: [String: String] = [:]
        for tag in tags {
            var key = ""
            for (index, scalar) in tag.key.unicodeScalars.enumerated() {
                let ok = scalar.isASCII && (scalar.properties.isAlphabetic || scalar == "_" || (index > 0 && ("0"..."9").contains(scalar)))
                key.unicodeScalars.append(ok ? scalar : "_")
            }
            if key.isEmpty { continue }
            byKey[key] = tag.value
        }
        return byKey.map { KeyValue($0.key, $0.value) }.sorted { $0.key < $1.key }
    }
}
