import TributaryModel

/// What one partition received since the last flush: the batch bodies as
/// received (with their streams and time ranges), or, for records given
/// without a body, the records. Queries read it too.
public struct PartitionHead: Sendable {
    /// Log lines and change events.
    public private(set) var logs: [Record] = []
    public private(set) var metrics: [Record] = []
    /// The batch bodies as received, written to a batch block at flush.
    public private(set) var batches: [StoredBatch] = []
    /// An estimate of the memory held, for flushing and back-pressure.
    public private(set) var bytes = 0

    public init() {}

    public var isEmpty: Bool { logs.isEmpty && metrics.isEmpty && batches.isEmpty }

    mutating func append(_ record: Record) {
        switch record {
        case .log(let log):
            logs.append(record)
            bytes += 96 + log.message.readableBytes + log.fields.reduce(0) { $0 + 32 + $1.name.utf8.count + $1.value.utf8.count }
        case .event(let event):
            logs.append(record)
            bytes += 96 + event.message.readableBytes + event.type.utf8.count
        case .metric(let sample):
            metrics.append(record)
            bytes += 96 + sample.name.utf8.count
        }
    }

    mutating func append(contentsOf records: some Collection<Record>) {
        logs.reserveCapacity(logs.count + records.count)
        for record in records { append(record) }
    }

    mutating func append(_ batch: StoredBatch) {
        batches.append(batch)
        bytes += batch.body.readableBytes + 64 * (batch.logStreams.count + batch.metricStreams.count)
    }

    mutating func merge(_ other: PartitionHead) {
        logs += other.logs
        metrics += other.metrics
        batches += other.batches
        bytes += other.bytes
    }
}
