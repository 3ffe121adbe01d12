import NIOCore
import TributaryCompression
import TributaryModel

/// Turns a BATCH body back into records, enforcing every rule and limit of
/// `proto/PROTOCOL.md` 4.4 and 7.
///
/// Inflating is bounded by the batch's declared `raw_length` (itself bounded
/// by `limits.maxBatchRawBytes`); counts are checked against the bytes left
/// before anything is reserved; label sets are built once per batch and
/// shared by its records; messages are slices of the inflated body, not
/// copies. Reuses its zlib stream; not thread-safe.
public final class BatchDecoder {
    private let inflater = Inflater(format: .raw)
    public let limits: WireLimits

    public init(limits: WireLimits = .default) {
        self.limits = limits
    }

    /// The uncompressed body of `batch`.
    public func rawBody(of batch: Batch) throws(WireError) -> ByteBuffer {
        guard batch.rawLength <= limits.maxBatchRawBytes else {
            throw .limitExceeded(field: "BATCH.raw_length", value: UInt64(batch.rawLength), limit: limits.maxBatchRawBytes)
        }
        guard batch.isCompressed else {
            guard batch.body.readableBytes == batch.rawLength else {
                throw .invalidValue(field: "BATCH.body", reason: "has \(batch.body.readableBytes) bytes but raw_length says \(batch.rawLength)")
            }
            return batch.body
        }
        var raw = ByteBuffer()
        raw.reserveCapacity(batch.rawLength)
        let produced: Int
        do {
            produced = try inflater.inflate(batch.body, appendingTo: &raw, limit: batch.rawLength, expectedSize: batch.rawLength)
        } catch {
            throw .inflateFailure(error)
        }
        guard produced == batch.rawLength else {
            throw .inflateFailure(.corruptStream(detail: "inflated to \(produced) bytes, but raw_length declares \(batch.rawLength)"))
        }
        return raw
    }

    /// Decodes every record of `batch`.
    public func decode(_ batch: Batch) throws(WireError) -> [Record] {
        guard batch.recordCount >= 1, batch.recordCount <= limits.maxBatchRecords else {
            throw .limitExceeded(field: "BATCH.record_count", value: UInt64(batch.recordCount), limit: limits.maxBatchRecords)
        }
        let body = try rawBody(of: batch)
        return try body.withUnsafeReadableBytes { (bytes) throws(WireError) -> [Record] in
            var reader = WireReader(bytes)
            let strings = try readStrings(&reader)
            let labelSets = try readLabelSets(&reader, strings: strings)
            guard batch.recordCount * Frame.minimumRecordBytes <= reader.remaining else {
                throw .limitExceeded(
                    field: "BATCH.record_count (more records than the \(reader.remaining) bytes after the tables can hold)",
                    value: UInt64(batch.recordCount), limit: reader.remaining / Frame.minimumRecordBytes)
            }
            var records: [Record] = []
            records.reserveCapacity(batch.recordCount)
            var timestamp: Int64 = 0
            for index in 0..<batch.recordCount {
                records.append(try readRecord(&reader, index: index, timestamp: &timestamp, strings: strings, labelSets: labelSets, body: body))
            }
            try reader.expectEnd("BATCH body after record[\(batch.recordCount - 1)]")
            return records
        }
    }

    private func readStrings(_ reader: inout WireReader) throws(WireError) -> [String] {
        let count = try reader.readCount("BATCH body string table count", limit: limits.maxStrings)
        var strings: [String] = []
        strings.reserveCapacity(count)
        for index in 0..<count {
            strings.append(try reader.readString("BATCH body strings[\(index)]", limit: limits.maxStringBytes))
        }
        return strings
    }

    private func readLabelSets(_ reader: inout WireReader, strings: [String]) throws(WireError) -> [Labels] {
        let count = try reader.readCount("BATCH body label set count", limit: limits.maxLabelSets)
        var sets: [Labels] = []
        sets.reserveCapacity(count)
        for setIndex in 0..<count {
            let field = "BATCH body labelsets[\(setIndex)]"
            let pairs = try reader.readCount(field + " pair count", limit: limits.maxLabelsPerSet, minimumItemBytes: 2)
            var labels: [Label] = []
            labels.reserveCapacity(pairs)
            for pair in 0..<pairs {
                let name = try string(at: reader.readVarint(field + "[\(pair)].name_ix"), in: strings, field + "[\(pair)].name_ix")
                let value = try string(at: reader.readVarint(field + "[\(pair)].value_ix"), in: strings, field + "[\(pair)].value_ix")
                guard name.utf8.count <= limits.maxLabelNameBytes else {
                    throw .limitExceeded(field: field + "[\(pair)] label name bytes", value: UInt64(name.utf8.count), limit: limits.maxLabelNameBytes)
                }
                guard Label.isValidName(name) else {
                    throw .invalidValue(field: field + "[\(pair)]", reason: "\"\(name)\" is not a valid label name ([A-Za-z_][A-Za-z0-9_]*)")
                }
                if let previous = labels.last, !(previous.name < name) {
                    throw .invalidValue(field: field + "[\(pair)]", reason: "label names must be in strictly ascending order, but \"\(name)\" follows \"\(previous.name)\"")
                }
                labels.append(Label(name, value))
            }
            sets.append(Labels(sortedUnchecked: labels))
        }
        return sets
    }

    @inline(__always)
    private func readRecord(
        _ reader: inout WireReader, index: Int, timestamp: inout Int64,
        strings: [String], labelSets: [Labels], body: ByteBuffer
    ) throws(WireError) -> Record {
        let kindByte = try reader.readU8("record[\(index)].kind")
        let delta = try reader.readSVarint("record[\(index)].ts_delta")
        let (next, overflow) = timestamp.addingReportingOverflow(delta)
        guard !overflow else {
            throw .invalidValue(field: "record[\(index)].ts_delta", reason: "timestamp overflows 64 bits")
        }
        timestamp = next
        let labelIndex = try reader.readVarint("record[\(index)].labelset_ix")
        guard labelIndex < UInt64(labelSets.count) else {
            throw .invalidValue(field: "record[\(index)].labelset_ix", reason: "is \(labelIndex) but the batch has \(labelSets.count) label sets")
        }
        let labels = labelSets[Int(labelIndex)]
        switch RecordKind(rawValue: kindByte) {
        case .log:
            let severityByte = try reader.readU8("record[\(index)].severity")
            guard let severity = Severity(rawValue: severityByte) else {
                throw .invalidValue(field: "record[\(index)].severity", reason: "is \(severityByte); expected 0–8")
            }
            let message = try readMessage(&reader, "record[\(index)].message", body: body)
            let fieldCount = try reader.readCount("record[\(index)].field count", limit: limits.maxFieldsPerRecord, minimumItemBytes: 2)
            var fields: [Field] = []
            if fieldCount > 0 {
                fields.reserveCapacity(fieldCount)
                for fieldIndex in 0..<fieldCount {
                    let name = try string(at: reader.readVarint("record[\(index)].fields[\(fieldIndex)].name_ix"), in: strings, "record[\(index)].fields[\(fieldIndex)].name_ix")
                    guard !name.isEmpty else {
                        throw .invalidValue(field: "record[\(index)].fields[\(fieldIndex)]", reason: "field name is empty")
                    }
                    let value = try reader.readString("record[\(index)].fields[\(fieldIndex)].value", limit: limits.maxFieldValueBytes)
                    fields.append(Field(name, value))
                }
            }
            return .log(LogRecord(timestamp: timestamp, severity: severity, labels: labels, message: message, fields: fields))
        case .metric:
            let name = try string(at: reader.readVarint("record[\(index)].name_ix"), in: strings, "record[\(index)].name_ix")
            let kindRaw = try reader.readU8("record[\(index)].metric_kind")
            guard let kind = MetricKind(rawValue: kindRaw) else {
                throw .invalidValue(field: "record[\(index)].metric_kind", reason: "is \(kindRaw); expected 0 (counter) or 1 (gauge)")
            }
            let value = try reader.readF64("record[\(index)].value")
            return .metric(MetricSample(name: name, labels: labels, timestamp: timestamp, value: value, kind: kind))
        case .event:
            let type = try string(at: reader.readVarint("record[\(index)].type_ix"), in: strings, "record[\(index)].type_ix")
            let message = try readMessage(&reader, "record[\(index)].message", body: body)
            return .event(ChangeEvent(type: type, labels: labels, timestamp: timestamp, message: message))
        case nil:
            throw .invalidValue(field: "record[\(index)].kind", reason: "is \(kindByte); expected 1 (log), 2 (metric) or 3 (event)")
        }
    }

    @inline(__always)
    private func readMessage(_ reader: inout WireReader, _ field: @autoclosure () -> String, body: ByteBuffer) throws(WireError) -> ByteBuffer {
        let range = try reader.readLengthPrefixed(field(), limit: limits.maxMessageBytes)
        return body.getSlice(at: body.readerIndex + range.lowerBound, length: range.count)!
    }

    @inline(__always)
    private func string(at index: UInt64, in strings: [String], _ field: @autoclosure () -> String) throws(WireError) -> String {
        guard index < UInt64(strings.count) else {
            throw .invalidValue(field: field(), reason: "is \(index) but the string table has \(strings.count) entries")
        }
        return strings[Int(index)]
    }
}

@available(*, unavailable)
extension BatchDecoder: Sendable {}
