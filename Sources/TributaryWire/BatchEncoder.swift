import NIOCore
import TributaryCompression
import TributaryModel

/// Builds BATCH frames from records: string table and label sets in the
/// canonical order of `proto/PROTOCOL.md` 4.4, delta-coded timestamps, and a
/// zlib-compressed body.
///
/// Reuses its tables, scratch buffers and zlib stream from batch to batch;
/// not thread-safe (one per batcher).
public final class BatchEncoder {
    private let deflater: Deflater?
    public let limits: WireLimits

    private var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    private var labelSets: [[(name: Int, value: Int)]] = []
    private var labelSetIndex: [Labels: Int] = [:]
    private var tables = ByteBuffer()
    private var recordBytes = ByteBuffer()

    /// - Parameter compression: the zlib level, or nil to send bodies plain.
    public init(compression: CompressionLevel? = .fastest, limits: WireLimits = .default) {
        self.deflater = compression.map { Deflater(level: $0) }
        self.limits = limits
    }

    /// Encodes `records` (at least one) as the batch `(agentID, sequence)`.
    /// Throws if a record breaks a limit the receiver would enforce.
    public func encode(_ records: some Collection<Record>, agentID: String, sequence: UInt64) throws(WireError) -> Batch {
        guard !records.isEmpty else {
            throw .invalidValue(field: "batch", reason: "has no records")
        }
        guard records.count <= limits.maxBatchRecords else {
            throw .limitExceeded(field: "batch record count", value: UInt64(records.count), limit: limits.maxBatchRecords)
        }
        reset()
        var previousTimestamp: Int64 = 0
        var lastLabels: Labels?
        var lastLabelSet = 0
        for (index, record) in records.enumerated() {
            let labels = record.labels
            let labelSet: Int
            if let last = lastLabels, last == labels {
                labelSet = lastLabelSet
            } else {
                labelSet = try intern(labels, record: index)
                lastLabels = labels
                lastLabelSet = labelSet
            }
            let (delta, overflow) = record.timestamp.subtractingReportingOverflow(previousTimestamp)
            guard !overflow else {
                throw .invalidValue(field: "record[\(index)].timestamp", reason: "too far from the previous record's timestamp to delta-code")
            }
            previousTimestamp = record.timestamp
            switch record {
            case .log(let log):
                recordBytes.writeInteger(RecordKind.log.rawValue)
                recordBytes.writeSVarint(delta)
                recordBytes.writeVarint(labelSet)
                recordBytes.writeInteger(log.severity.rawValue)
                try checkMessage(log.message, record: index)
                recordBytes.writeWireBytes(log.message)
                guard log.fields.count <= limits.maxFieldsPerRecord else {
                    throw .limitExceeded(field: "record[\(index)].fields", value: UInt64(log.fields.count), limit: limits.maxFieldsPerRecord)
                }
                recordBytes.writeVarint(log.fields.count)
                for field in log.fields {
                    guard !field.name.isEmpty else {
                        throw .invalidValue(field: "record[\(index)].fields", reason: "a field name is empty")
                    }
                    guard field.value.utf8.count <= limits.maxFieldValueBytes else {
                        throw .limitExceeded(field: "record[\(index)].fields[\(field.name)]", value: UInt64(field.value.utf8.count), limit: limits.maxFieldValueBytes)
                    }
                    recordBytes.writeVarint(try intern(field.name, record: index))
                    recordBytes.writeWireString(field.value)
                }
            case .metric(let sample):
                recordBytes.writeInteger(RecordKind.metric.rawValue)
                recordBytes.writeSVarint(delta)
                recordBytes.writeVarint(labelSet)
                recordBytes.writeVarint(try intern(sample.name, record: index))
                recordBytes.writeInteger(sample.kind.rawValue)
                recordBytes.writeInteger(sample.value.bitPattern)
            case .event(let event):
                recordBytes.writeInteger(RecordKind.event.rawValue)
                recordBytes.writeSVarint(delta)
                recordBytes.writeVarint(labelSet)
                recordBytes.writeVarint(try intern(event.type, record: index))
                try checkMessage(event.message, record: index)
                recordBytes.writeWireBytes(event.message)
            }
        }
        writeTables()
        let rawLength = tables.readableBytes + recordBytes.readableBytes
        guard rawLength <= limits.maxBatchRawBytes else {
            throw .limitExceeded(field: "batch body bytes", value: UInt64(rawLength), limit: limits.maxBatchRawBytes)
        }
        tables.writeBuffer(&recordBytes)
        let body: ByteBuffer
        if let deflater {
            var compressed = ByteBuffer()
            compressed.reserveCapacity(deflater.maximumCompressedSize(for: rawLength))
            deflater.compress(tables, appendingTo: &compressed)
            body = compressed
        } else {
            body = ByteBuffer(buffer: tables)
        }
        return Batch(agentID: agentID, sequence: sequence, recordCount: records.count, rawLength: rawLength, isCompressed: deflater != nil, body: body)
    }

    private func reset() {
        strings.removeAll(keepingCapacity: true)
        stringIndex.removeAll(keepingCapacity: true)
        labelSets.removeAll(keepingCapacity: true)
        labelSetIndex.removeAll(keepingCapacity: true)
        tables.clear()
        recordBytes.clear()
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
        tables.writeVarint(strings.count)
        for string in strings { tables.writeWireString(string) }
        tables.writeVarint(labelSets.count)
        for pairs in labelSets {
            tables.writeVarint(pairs.count)
            for pair in pairs {
                tables.writeVarint(pair.name)
                tables.writeVarint(pair.value)
            }
        }
    }
}

@available(*, unavailable)
extension BatchEncoder: Sendable {}
