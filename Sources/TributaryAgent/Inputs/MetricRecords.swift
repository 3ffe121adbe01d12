import TributaryFormats
import TributaryModel

/// Aggregated samples (StatsD, host metrics) as records: the input's labels
/// plus each sample's own.
enum MetricRecords {
    static func records(_ samples: [AggregatedSample], labels: Labels, timestamp: Int64) -> [Record] {
        samples.compactMap { sample in
            var merged = labels
            for pair in sample.labels {
                guard let next = try? merged.setting(pair.key, to: pair.value) else { return nil }
                merged = next
            }
            return .metric(MetricSample(name: sample.name, labels: merged, timestamp: timestamp, value: sample.value,
                                        kind: sample.kind == .counter ? .counter : .gauge))
        }
    }
}
