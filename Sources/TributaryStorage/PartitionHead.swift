import TributaryModel

/// Records of one partition not yet written to a block: what arrived since
/// the last flush. Queries read it too.
public struct PartitionHead: Sendable {
    /// Log lines and change events.
    public private(set) var logs: [Record] = []
    public private(set) var metrics: [Record] = []
    /// An estimate of the memory held, for flushing and back-pressure.
    public private(set) var bytes = 0

    public init() {}

    public var isEmpty: Bool { logs.isEmpty && metrics.isEmpty }
    public var count: Int { logs.count + metrics.count }

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

    mutating func merge(_ other: PartitionHead) {
        logs += other.logs
        metrics += other.metrics
        bytes += other.bytes
    }
}
