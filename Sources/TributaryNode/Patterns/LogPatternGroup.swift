import TributaryModel
import TributaryPatterns

/// The patterns of one tenant's stream group: a miner and each pattern's
/// counts. Owned by `LogPatternRecorder`'s lock.
final class LogPatternGroup {
    let tenant: String
    /// `{app="…"}`, `{service="…"}`, or the stream's labels.
    let labels: Labels
    let miner: TemplateMiner
    var counts: [UInt64: LogPatternCounts] = [:]
    var lastUsed: UInt64 = 0

    init(tenant: String, labels: Labels, configuration: TemplateMinerConfiguration) {
        self.tenant = tenant
        self.labels = labels
        self.miner = TemplateMiner(configuration: configuration)
    }

    /// The labels a stream's patterns are grouped by.
    static func groupLabels(of stream: Labels) -> Labels {
        for name in ["app", "service"] {
            if let value = stream[name], let labels = try? Labels([name: value]) { return labels }
        }
        return stream
    }

    func observe(_ line: UnsafeBufferPointer<UInt8>, timestamp: Int64, settings: LogPatternSettings) {
        let id = miner.learn(line)
        counts[id, default: LogPatternCounts(firstSeen: timestamp)]
            .add(1, at: timestamp, bucket: settings.bucketNanoseconds, retained: settings.retainedBuckets)
        if counts.count > settings.miner.maxTemplates * 2 { consolidate(settings) }
    }

    /// Folds the counts of merged templates into their survivors and drops
    /// those of forgotten ones (bounded memory; run before reading).
    func consolidate(_ settings: LogPatternSettings) {
        var result: [UInt64: LogPatternCounts] = [:]
        for (id, counts) in self.counts {
            guard let live = miner.resolve(id) else { continue }
            if var existing = result[live] {
                existing.merge(counts, bucket: settings.bucketNanoseconds, retained: settings.retainedBuckets)
                result[live] = existing
            } else {
                result[live] = counts
            }
        }
        self.counts = result
    }
}
