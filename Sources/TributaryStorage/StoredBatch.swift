import NIOCore
import TributaryModel
import TributaryWire

/// A batch body as the agent sent it (usually raw DEFLATE), with what the
/// node learnt decoding it: the streams and time range of its records in
/// one partition. Flushes write these to batch blocks without compressing
/// anything again.
public struct StoredBatch: Sendable {
    public let body: ByteBuffer
    public let isCompressed: Bool
    public let rawLength: Int
    /// Records in the whole batch (a batch may straddle partitions; readers
    /// keep only the records inside their partition).
    public let recordCount: Int
    public let minTimestamp: Int64
    public let maxTimestamp: Int64
    /// Distinct stream labels of the batch's log lines and events, and of
    /// its metric samples (with `__name__`), within this partition.
    public let logStreams: [Labels]
    public let metricStreams: [Labels]

    public init(body: ByteBuffer, isCompressed: Bool, rawLength: Int, recordCount: Int, minTimestamp: Int64, maxTimestamp: Int64,
                logStreams: [Labels], metricStreams: [Labels]) {
        self.body = body
        self.isCompressed = isCompressed
        self.rawLength = rawLength
        self.recordCount = recordCount
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.logStreams = logStreams
        self.metricStreams = metricStreams
    }

    /// The body of `batch` as held by the partition of `part`.
    init(_ batch: Batch, part: BatchPart) {
        self.init(body: batch.body, isCompressed: batch.isCompressed, rawLength: batch.rawLength, recordCount: batch.recordCount,
                  minTimestamp: part.minTimestamp, maxTimestamp: part.maxTimestamp, logStreams: part.logStreams, metricStreams: part.metricStreams)
    }

    /// The batch again, for `BatchDecoder`.
    public var batch: Batch {
        Batch(agentID: "", sequence: 0, recordCount: recordCount, rawLength: rawLength, isCompressed: isCompressed, body: body)
    }

    public func overlaps(start: Int64, end: Int64) -> Bool {
        minTimestamp < end && maxTimestamp >= start
    }
}
