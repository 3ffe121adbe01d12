import NIOCore
import TributaryCompression
import TributaryModel

/// Builds BATCH frames from records: string table and label sets in the
/// canonical order of `proto/PROTOCOL.md` 4.4, delta-coded timestamps, and a
/// raw DEFLATE body (zlib, windowBits −15).
///
/// Two passes: the first interns strings and label sets (in canonical order)
/// and adds up an upper bound of the body's size; the second writes the
/// tables, then every record through a raw cursor into memory reserved once.
/// Reuses its tables, scratch buffer and zlib stream from batch to batch;
/// not thread-safe (one per batcher).
public final class BatchEncoder {
    private let deflater: Deflater?
    public let limits: WireLimits

    private var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    private var labelSets: [[(name: Int, value: Int)]] = []
    private var labelSetIndex: [Labels: Int] = [:]
    /// Per record, in order: its label set, then its other string indexes
    /// (field names, metric name or event type), as pass one found them.
    private var indexes: [Int] = []
    private var scratch = ByteBuffer()

    /// The most bytes a record takes besides its message and fields: kind,
    /// ts delta, label set, severity or metric kind, name index, message
    /// length, field count, f64.
    private static let recordOverhead = 1 + 3 * RawWriter.maxVarintBytes + 1 + 2 * RawWriter.maxVarintBytes + 8

    /// - Parameter compression: the zlib level, or nil to send bodies plain.
    public init(compression: CompressionLevel? = .fastest, limits: WireLimits = .default) {
        self.deflater = compression.map { Deflater(level: $0, format: .raw) }
        self.limits = limits
    }

    /// Encodes `records` (at least one) as the batch `(agentID, sequence)`.
    /// Throws if a record breaks a limit the receiver would enforce.
    ///
    /// Takes an array, not a generic collection: an unspecialized generic
    /// across modules copies every record through witness tables.
    public func encode(_ records: [Record], agentID: String, sequence: UInt64) throws(WireError) -> Batch {
        guard !records.isEmpty else {
            throw .invalidValue(field: "batch", reason: "has no records")
        }
        guard records.count <= limits.maxBatchRecords else {
            throw .limitExceeded(field: "batch record count", value: UInt64(records.count), limit: limits.maxBatchRecords)
        }
        reset()
        let bound = try internAll(records)
        let rawLength = try writeBody(records, recordBound: bound)
        let body: ByteBuffer
        if let deflater {
            var compressed = ByteBuffer()
            compressed.reserveCapacity(deflater.maximumCompressedSize(for: rawLength))
            deflater.compress(scratch, appendingTo: &compressed)
            body = compressed
        } else {
            // A copy of exactly the body; the scratch buffer keeps its capacity.
            var plain = ByteBuffer()
            plain.reserveCapacity(rawLength)
            plain.writeImmutableBuffer(scratch)
            body = plain
        }
        return Batch(agentID: agentID, sequence: sequence, recordCount: records.count, rawLength: rawLength, isCompressed: deflater != nil, body: body)
    }

    private func reset() {
        strings.removeAll(keepingCapacity: true)
        stringIndex.removeAll(keepingCapacity: true)
        labelSets.removeAll(keepingCapacity: true)
        labelSetIndex.removeAll(keepingCapacity: true)
        indexes.removeAll(keepingCapacity: true)
        scratch.clear()
    }

    /// Pass one: checks limits, interns every string and label set in
    /// canonical order, and returns an upper bound of the records' bytes.
    private func internAll(_ records: [Record]) throws(WireError) -> Int {
        var bound = 0
        var lastLabels: Labels?
        var lastLabelSet = 0
        var indexes = self.indexes
        self.indexes = []
        defer { self.indexes = indexes }
        indexes.reserveCapacity(records.count * 2)
        for index in records.indices {
            let record = records[index]
            let labels = record.labels
            if let last = lastLabels, last == labels {
                indexes.append(lastLabelSet)
            } else {
                lastLabelSet = try intern(labels, record: index)
                lastLabels = labels
                indexes.append(lastLabelSet)
            }
            bound += Self.recordOverhead
            switch record {
            case .log(let log):
                try checkMessage(log.message, record: index)
                bound += log.message.readableBytes
                guard log.fields.count <= limits.maxFieldsPerRecord else {
                    throw .limitExceeded(field: "record[\(index)].fields", value: UInt64(log.fields.count), limit: limits.maxFieldsPerRecord)
                }
                for field in log.fields {
                    guard !field.name.isEmpty else {
                        throw .invalidValue(field: "record[\(index)].fields", reason: "a field name is empty")
                    }
                    let valueBytes = field.value.utf8.count
                    guard valueBytes <= limits.maxFieldValueBytes else {
                        throw .limitExceeded(field: "record[\(index)].fields[\(field.name)]", value: UInt64(valueBytes), limit: limits.maxFieldValueBytes)
                    }
                    indexes.append(try intern(field.name, record: index))
                    bound += 2 * RawWriter.maxVarintBytes + valueBytes
                }
            case .metric(let sample):
                indexes.append(try intern(sample.name, record: index))
            case .event(let event):
                try checkMessage(event.message, record: index)
                bound += event.message.readableBytes
                indexes.append(try intern(event.type, record: index))
            }
        }
        return bound
    }

    /// Pass two: tables, then records; returns the body's length.
    private func writeBody(_ records: [Record], recordBound: Int) throws(WireError) -> Int {
        writeTables()
        let tableBytes = scratch.readableBytes
        guard tableBytes <= limits.maxBatchRawBytes else {
            throw .limitExceeded(field: "batch body bytes", value: UInt64(tableBytes), limit: limits.maxBatchRawBytes)
        }
        let indexes = self.indexes
        var overflowAt: Int?
        scratch.writeWithUnsafeMutableBytes(minimumWritableBytes: recordBound) { memory in
            var writer = RawWriter(memory)
            var cursor = 0
            var previousTimestamp: Int64 = 0
            for index in records.indices {
                let record = records[index]
                let (delta, overflow) = record.timestamp.subtractingReportingOverflow(previousTimestamp)
                if overflow {
                    overflowAt = index
                    return writer.offset
                }
                previousTimestamp = record.timestamp
                let labelSet = indexes[cursor]
                cursor += 1
                switch record {
                case .log(let log):
                    writer.writeU8(RecordKind.log.rawValue)
                    writer.writeSVarint(delta)
                    writer.writeVarint(labelSet)
                    writer.writeU8(log.severity.rawValue)
                    writer.writeLengthPrefixed(log.message)
                    writer.writeVarint(log.fields.count)
                    for field in log.fields {
                        writer.writeVarint(indexes[cursor])
                        cursor += 1
                        writer.writeLengthPrefixed(field.value)
                    }
                case .metric(let sample):
                    writer.writeU8(RecordKind.metric.rawValue)
                    writer.writeSVarint(delta)
                    writer.writeVarint(labelSet)
                    writer.writeVarint(indexes[cursor])
                    cursor += 1
                    writer.writeU8(sample.kind.rawValue)
                    writer.writeU64(sample.value.bitPattern)
                case .event(let event):
                    writer.writeU8(RecordKind.event.rawValue)
                    writer.writeSVarint(delta)
                    writer.writeVarint(labelSet)
                    writer.writeVarint(indexes[cursor])
                    cursor += 1
                    writer.writeLengthPrefixed(event.message)
                }
            }
            return writer.offset
        }
        if let overflowAt {
            throw .invalidValue(field: "record[\(overflowAt)].timestamp", reason: "too far from the previous record's timestamp to delta-code")
        }
        let rawLength = scratch.readableBytes
        guard rawLength <= limits.maxBatchRawBytes else {
            throw .limitExceeded(field: "batch body bytes", value: UInt64(rawLength), limit: limits.maxBatchRawBytes)
        }
        return rawLength
    }

    private func checkMessage(_ message: ByteBuffer, record: Int) throws(WireError) {
        guard message.readableBytes <= limits.maxMessageBytes else {
            throw .limitExceeded(field: "record[\(record)].message bytes", value: UInt64(message.readableBytes), limit: limits.maxMessageBytes)
        }
    }

    private func intern(_ string: String, record: Int) throws(WireError) -> Int {
        if let index = stringIndex[string] { return index }
        guard string.utf8.count <= limits.maxStringBytes else {
            throw .limitExceeded(field: "record[\(record)] string \"\(string.prefix(40))…\" bytes", value: UInt64(string.utf8.count), limit: limits.maxStringBytes)
        }
        let index = strings.count
        strings.append(string)
        stringIndex[string] = index
        return index
    }

    private func intern(_ labels: Labels, record: Int) throws(WireError) -> Int {
        if let index = labelSetIndex[labels] { return index }
        guard labels.count <= limits.maxLabelsPerSet else {
            throw .limitExceeded(field: "record[\(record)].labels", value: UInt64(labels.count), limit: limits.maxLabelsPerSet)
        }
        var pairs: [(name: Int, value: Int)] = []
        pairs.reserveCapacity(labels.count)
        for label in labels {
            guard label.name.utf8.count <= limits.maxLabelNameBytes else {
                throw .limitExceeded(field: "record[\(record)] label name \(label.name) bytes", value: UInt64(label.name.utf8.count), limit: limits.maxLabelNameBytes)
            }
            pairs.append((try intern(label.name, record: record), try intern(label.value, record: record)))
        }
        let index = labelSets.count
        labelSets.append(pairs)
        labelSetIndex[labels] = index
        return index
    }

    private func writeTables() {
        scratch.writeVarint(strings.count)
        for string in strings { scratch.writeWireString(string) }
        scratch.writeVarint(labelSets.count)
        for pairs in labelSets {
            scratch.writeVarint(pairs.count)
            for pair in pairs {
                scratch.writeVarint(pair.name)
                scratch.writeVarint(pair.value)
            }
        }
    }
}

@available(*, unavailable)
extension BatchEncoder: Sendable {}
