import TributaryModel
import TributaryWire

/// What one partition holds of a batch: the partition, and the time range
/// and streams of the batch's records in it. A node keeps the batch body
/// once per partition it touches with this beside it, so queries and seals
/// know which bodies to read; a coordinator computes the parts once and
/// hands them to its replicas with the body, so they need not inflate it.
public struct BatchPart: Sendable, Equatable {
    public var key: PartitionKey
    public var minTimestamp: Int64
    public var maxTimestamp: Int64
    /// Distinct stream labels of the part's log lines and events, and of
    /// its metric samples (with `__name__`).
    public var logStreams: [Labels]
    public var metricStreams: [Labels]

    public init(key: PartitionKey, minTimestamp: Int64, maxTimestamp: Int64, logStreams: [Labels], metricStreams: [Labels]) {
        self.key = key
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.logStreams = logStreams
        self.metricStreams = metricStreams
    }

    /// Cuts `records` of `tenant` into parts by bucket (of `span`) and, where
    /// `routing` shards the bucket, by shard. Every part is returned; the
    /// caller keeps those it replicates.
    public static func split(_ records: [Record], tenant: String, span: Int64, routing: any PartitionRouting) -> [BatchPart] {
        guard let firstRecord = records.first else { return [] }
        let first = PartitionKey(tenant: tenant, containing: firstRecord.timestamp, span: span)
        let firstShards = routing.shards(bucketStart: first.start)
        if firstShards == 1, records.allSatisfy({ $0.timestamp >= first.start && $0.timestamp < first.end }) {
            // The usual single-node batch: one bucket, one part.
            return [part(records[...], key: first)]
        }
        // One pass. Records of one stream and bucket usually come together,
        // so the previous record's partition is reused without hashing.
        var shardsOf: [Int64: Int] = [first.start: firstShards]
        var indexOf: [PartitionKey: Int] = [:]
        var parts: [BatchPart] = []
        // The streams each part holds, for constant-time membership: a
        // remote-write batch has thousands of distinct series.
        var seenLogs: [Set<Labels>] = []
        var seenMetrics: [Set<Labels>] = []
        var previousStart = Int64.min
        var previousLogLabels: Labels?
        var previousMetric: (name: String, labels: Labels)?
        var previousIndex = 0
        for record in records {
            let timestamp = record.timestamp
            let start = PartitionKey.bucketStart(of: timestamp, span: span)
            var index: Int?
            var streamLabels: Labels?
            if start == previousStart {
                switch record {
                case .metric(let sample):
                    if let previous = previousMetric, previous.name == sample.name, previous.labels == sample.labels { index = previousIndex }
                case .log, .event:
                    if let previous = previousLogLabels, previous == record.labels { index = previousIndex }
                }
            }
            if index == nil {
                let labels = BlockWriter.streamLabels(of: record)
                streamLabels = labels
                let shards = shardsOf[start] ?? routing.shards(bucketStart: start)
                shardsOf[start] = shards
                let key = shards == 1 ? PartitionKey(tenant: tenant, start: start, span: span)
                    : PartitionKey(tenant: tenant, start: start, span: span, shard: PartitionKey.shard(ofStream: labels.streamID, shards: shards),
                                   shards: shards)
                if let known = indexOf[key] {
                    index = known
                } else {
                    index = parts.count
                    indexOf[key] = parts.count
                    parts.append(BatchPart(key: key, minTimestamp: timestamp, maxTimestamp: timestamp, logStreams: [], metricStreams: []))
                    seenLogs.append([])
                    seenMetrics.append([])
                }
            }
            let at = index!
            parts[at].minTimestamp = min(parts[at].minTimestamp, timestamp)
            parts[at].maxTimestamp = max(parts[at].maxTimestamp, timestamp)
            switch record {
            case .metric(let sample):
                if let labels = streamLabels, seenMetrics[at].insert(labels).inserted { parts[at].metricStreams.append(labels) }
                previousMetric = (sample.name, sample.labels)
                previousLogLabels = nil
            case .log, .event:
                if let labels = streamLabels, seenLogs[at].insert(labels).inserted { parts[at].logStreams.append(labels) }
                previousLogLabels = record.labels
                previousMetric = nil
            }
            previousStart = start
            previousIndex = at
        }
        return parts
    }

    static func part(_ records: ArraySlice<Record>, key: PartitionKey) -> BatchPart {
        var logStreams: [Labels] = []
        var metricStreams: [Labels] = []
        var minimum = Int64.max
        var maximum = Int64.min
        var lastLog: Labels?
        var lastMetric: Labels?
        var seenLogs: Set<Labels> = []
        var seenMetrics: Set<Labels> = []
        for record in records {
            let timestamp = record.timestamp
            minimum = min(minimum, timestamp)
            maximum = max(maximum, timestamp)
            if case .metric = record {
                let labels = BlockWriter.streamLabels(of: record)
                if labels != lastMetric, seenMetrics.insert(labels).inserted { metricStreams.append(labels) }
                lastMetric = labels
            } else {
                let labels = record.labels
                if labels != lastLog, seenLogs.insert(labels).inserted { logStreams.append(labels) }
                lastLog = labels
            }
        }
        return BatchPart(key: key, minTimestamp: minimum, maxTimestamp: maximum, logStreams: logStreams, metricStreams: metricStreams)
    }
}
