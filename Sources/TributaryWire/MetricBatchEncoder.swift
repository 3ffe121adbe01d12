import NIOCore
import TributaryCompression
import TributaryModel

/// Builds BATCH frames of metric samples straight from prepared series
/// (`BatchSeries`) and sample columns: no `Record`, name `String` or
/// `Labels` per sample, and a series' strings are interned by hashes
/// computed once per series, not per batch. The records are those
/// `BatchEncoder` writes for the same samples; the tables list strings and
/// label sets in order of first use by series rather than in section 4.4's
/// canonical order (which receivers must not rely on: "any order and
/// repeats"), so equal samples may give different bytes than
/// `BatchEncoder` but always decode to equal records.
///
/// A series that repeats in a batch (equal nonzero `BatchSeries.id`) gets
/// one label set; a string that repeats gets one table entry. Reuses its
/// tables, scratch buffer and zlib stream; not thread-safe.
public final class MetricBatchEncoder {
    private let deflater: Deflater?
    public let limits: WireLimits
    private var tables = MetricBatchTables()
    /// Per run of the batch being encoded: its label set.
    private var runSets: [Int] = []
    private var scratch = ByteBuffer()

    /// The most bytes one metric record takes: kind, ts delta, label set,
    /// name, metric kind, f64.
    private static let recordBound = 1 + 3 * RawWriter.maxVarintBytes + 1 + 8

    /// - Parameter compression: the zlib level, or nil to send bodies plain.
    public init(compression: CompressionLevel? = .fastest, limits: WireLimits = .default) {
        self.deflater = compression.map { Deflater(level: $0, format: .raw) }
        self.limits = limits
    }

    /// Encodes the samples of `runs` (at least one sample in all) as the
    /// batch `(agentID, sequence)`: each run's `series` indexes `series`,
    /// its `samples` index `timestamps` (ns) and `values` (f64 bits).
    /// Throws if a sample breaks a limit the receiver would enforce.
    public func encode(series: [BatchSeries], runs: ArraySlice<MetricRun>, timestamps: [Int64], values: [UInt64],
                       agentID: String, sequence: UInt64) throws(WireError) -> Batch {
        let recordCount = runs.reduce(0) { $0 + $1.samples.count }
        guard recordCount > 0 else {
            throw .invalidValue(field: "batch", reason: "has no records")
        }
        guard recordCount <= limits.maxBatchRecords else {
            throw .limitExceeded(field: "batch record count", value: UInt64(recordCount), limit: limits.maxBatchRecords)
        }
        // Worked on as locals, put back for the next batch (capacity kept).
        var tables = self.tables
        var runSets = self.runSets
        self.tables = MetricBatchTables()
        self.runSets = []
        defer {
            self.tables = tables
            self.runSets = runSets
        }
        tables.reset()
        runSets.removeAll(keepingCapacity: true)
        runSets.reserveCapacity(runs.count)
        for run in runs {
            runSets.append(try tables.labelSet(of: series[run.series], limits: limits))
        }
        scratch.clear()
        var overflowAt: Int?
        scratch.writeWithUnsafeMutableBytes(minimumWritableBytes: tables.bound + recordCount * Self.recordBound) { memory in
            var writer = RawWriter(memory)
            tables.write(to: &writer)
            var previous: Int64 = 0
            for (run, set) in zip(runs, runSets) {
                let name = tables.setNames[set]
                let kind = run.kind.rawValue
                for sample in run.samples {
                    let timestamp = timestamps[sample]
                    let (delta, overflow) = timestamp.subtractingReportingOverflow(previous)
                    if overflow {
                        overflowAt = sample
                        return writer.offset
                    }
                    previous = timestamp
                    writer.writeU8(RecordKind.metric.rawValue)
                    writer.writeSVarint(delta)
                    writer.writeVarint(set)
                    writer.writeVarint(name)
                    writer.writeU8(kind)
                    writer.writeU64(values[sample])
                }
            }
            return writer.offset
        }
        if let overflowAt {
            throw .invalidValue(field: "sample[\(overflowAt)].timestamp", reason: "too far from the previous sample's timestamp to delta-code")
        }
        let rawLength = scratch.readableBytes
        guard rawLength <= limits.maxBatchRawBytes else {
            throw .limitExceeded(field: "batch body bytes", value: UInt64(rawLength), limit: limits.maxBatchRawBytes)
        }
        let body: ByteBuffer
        if let deflater {
            var compressed = ByteBuffer()
            compressed.reserveCapacity(deflater.maximumCompressedSize(for: rawLength))
            deflater.compress(scratch, appendingTo: &compressed)
            body = compressed
        } else {
            var plain = ByteBuffer()
            plain.reserveCapacity(rawLength)
            plain.writeImmutableBuffer(scratch)
            body = plain
        }
        return Batch(agentID: agentID, sequence: sequence, recordCount: recordCount, rawLength: rawLength,
                     isCompressed: deflater != nil, body: body)
    }
}

@available(*, unavailable)
extension MetricBatchEncoder: Sendable {}
