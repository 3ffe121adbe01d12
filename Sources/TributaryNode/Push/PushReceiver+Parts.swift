import TributaryModel
import TributaryStorage

extension PushReceiver {
    /// The one part of a request's records when they all fall in one
    /// unsharded bucket (the usual remote-write request), listing the
    /// request's decoded series as its streams: the store then files the
    /// batch without deriving each sample's stream again. Nil otherwise
    /// (the store splits the records itself).
    func singlePart(_ records: [Record], metricStreams: [Labels], tenant: String) -> [BatchPart]? {
        guard let first = records.first else { return nil }
        let partitions = store.partitions
        let key = PartitionKey(tenant: tenant, containing: first.timestamp, span: partitions.settings.span)
        guard partitions.routing.shards(bucketStart: key.start) == 1 else { return nil }
        var minimum = Int64.max
        var maximum = Int64.min
        for record in records {
            let timestamp = record.timestamp
            guard timestamp >= key.start, timestamp < key.end else { return nil }
            minimum = min(minimum, timestamp)
            maximum = max(maximum, timestamp)
        }
        return [BatchPart(key: key, minTimestamp: minimum, maxTimestamp: maximum, logStreams: [], metricStreams: metricStreams)]
    }
}
