import Foundation
import NIOCore
import TributaryModel

/// `POST /loki/api/v1/push` bodies into log records: Loki's protobuf
/// `PushRequest` (Promtail, Alloy, Vector, the Docker driver; snappy) and
/// its JSON form (Fluent Bit, python-logging-loki; plain or gzip).
///
/// A stream's labels become the record's labels; each entry's structured
/// metadata becomes fields (in order, names as sent). The severity comes
/// from a `level`, `detected_level` or `severity` label (or a `level` or
/// `detected_level` metadata entry), if any.
public enum LokiPushDecoder {
    public static func decodeProtobuf(_ bytes: [UInt8], limits: PushLimits) throws(PushError) -> [Record] {
        do throws(PushError) {
            return try readPushRequest(bytes, limits: limits)
        } catch {
            guard error.kind == .badRequest, error.reason.hasPrefix("malformed protobuf") else { throw error }
            throw .badRequest("the body is not a Loki PushRequest protobuf message (\(error.reason)); JSON bodies need Content-Type: application/json")
        }
    }

    /// `PushRequest` read in place with `ProtobufReader` (no intermediate
    /// swift-protobuf messages, no `String` per line: each line's bytes
    /// are checked to be UTF-8 and copied once into the record's buffer).
    private static func readPushRequest(_ bytes: [UInt8], limits: PushLimits) throws(PushError) -> [Record] {
        var reader = ProtobufReader(bytes)
        var streams: [Range<Int>] = []
        while let field = try reader.nextField() {
            if field.number == 1 {
                try reader.expect(field.type, .lengthDelimited, field: "PushRequest.streams")
                streams.append(try reader.lengthDelimited())
                guard streams.count <= limits.maxSeriesPerRequest else {
                    throw .tooLarge("the request has more than \(limits.maxSeriesPerRequest) streams, over push.max_series_per_request (\(limits.maxSeriesPerRequest))")
                }
            } else {
                try reader.skip(field.type)
            }
        }
        var records: [Record] = []
        var entries: [Range<Int>] = []
        for range in streams {
            entries.removeAll(keepingCapacity: true)
            var stream = ProtobufReader(bytes, range: range)
            var labelsRange = 0..<0
            while let field = try stream.nextField() {
                switch field.number {
                case 1:
                    try stream.expect(field.type, .lengthDelimited, field: "StreamAdapter.labels")
                    labelsRange = try stream.lengthDelimited()
                case 2:
                    try stream.expect(field.type, .lengthDelimited, field: "StreamAdapter.entries")
                    entries.append(try stream.lengthDelimited())
                    guard records.count + entries.count <= limits.maxRecordsPerRequest else { throw tooManyLines(limits) }
                default:
                    try stream.skip(field.type)
                }
            }
            let labelText = try stream.string(labelsRange, field: "StreamAdapter.labels")
            let labels = try LokiLabelsParser.parse(labelText, maxLabels: limits.maxLabelsPerSeries)
            let streamSeverity = severity(labels)
            if records.isEmpty { records.reserveCapacity(min(limits.maxRecordsPerRequest, entries.count * streams.count)) }
            for entryRange in entries {
                records.append(try readEntry(bytes, range: entryRange, labels: labels, labelText: labelText, severity: streamSeverity))
            }
        }
        return records
    }

    private static func readEntry(_ bytes: [UInt8], range: Range<Int>, labels: Labels, labelText: String, severity streamSeverity: Severity) throws(PushError) -> Record {
        var entry = ProtobufReader(bytes, range: range)
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        var line = 0..<0
        var fields: [Field] = []
        var severity = streamSeverity
        while let tag = try entry.nextField() {
            switch tag.number {
            case 1:
                try entry.expect(tag.type, .lengthDelimited, field: "EntryAdapter.timestamp")
                var timestamp = ProtobufReader(bytes, range: try entry.lengthDelimited())
                while let part = try timestamp.nextField() {
                    switch part.number {
                    case 1:
                        try timestamp.expect(part.type, .varint, field: "Timestamp.seconds")
                        seconds = Int64(bitPattern: try timestamp.varint())
                    case 2:
                        try timestamp.expect(part.type, .varint, field: "Timestamp.nanos")
                        nanos = Int32(truncatingIfNeeded: try timestamp.varint())
                    default:
                        try timestamp.skip(part.type)
                    }
                }
            case 2:
                try entry.expect(tag.type, .lengthDelimited, field: "EntryAdapter.line")
                line = try entry.lengthDelimited()
            case 3:
                try entry.expect(tag.type, .lengthDelimited, field: "EntryAdapter.structuredMetadata")
                var pair = ProtobufReader(bytes, range: try entry.lengthDelimited())
                var name = 0..<0
                var value = 0..<0
                while let part = try pair.nextField() {
                    switch part.number {
                    case 1:
                        try pair.expect(part.type, .lengthDelimited, field: "LabelPairAdapter.name")
                        name = try pair.lengthDelimited()
                    case 2:
                        try pair.expect(part.type, .lengthDelimited, field: "LabelPairAdapter.value")
                        value = try pair.lengthDelimited()
                    default:
                        try pair.skip(part.type)
                    }
                }
                let metadataName = try pair.string(name, field: "LabelPairAdapter.name")
                let metadataValue = try pair.string(value, field: "LabelPairAdapter.value")
                fields.append(try field(metadataName, metadataValue))
                if severity == .unknown, metadataName == "level" || metadataName == "detected_level" { severity = SeverityName.severity(metadataValue) }
            default:
                try entry.skip(tag.type)
            }
        }
        guard entry.isValidUTF8(line) else {
            throw .badRequest("malformed protobuf at byte \(line.lowerBound): field EntryAdapter.line is not valid UTF-8")
        }
        let timestamp = try PushTime.nanoseconds(seconds: seconds, nanos: nanos, what: "an entry of stream \(labelText.prefix(200))")
        return .log(LogRecord(timestamp: timestamp, severity: severity, labels: labels, message: ByteBuffer(bytes: bytes[line]), fields: fields))
    }

    /// `{"streams":[{"stream":{"app":"api"},"values":[["<ns>","<line>",{"key":"value"}]]}]}`.
    public static func decodeJSON(_ bytes: [UInt8], limits: PushLimits) throws(PushError) -> [Record] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw .badRequest("the body is not JSON (\(error.localizedDescription)); protobuf bodies need Content-Type: application/x-protobuf")
        }
        guard let object = root as? [String: Any], let streams = object["streams"] as? [Any] else {
            throw .badRequest("expected a JSON object {\"streams\": [{\"stream\": {…labels}, \"values\": [[\"<unix ns>\", \"<line>\"], …]}, …]}")
        }
        guard streams.count <= limits.maxSeriesPerRequest else {
            throw .tooLarge("the request has \(streams.count) streams, over push.max_series_per_request (\(limits.maxSeriesPerRequest))")
        }
        var records: [Record] = []
        for (index, item) in streams.enumerated() {
            guard let stream = item as? [String: Any], let labelObject = (stream["stream"] ?? stream["labels"] ?? [String: Any]()) as? [String: Any],
                  let values = stream["values"] as? [Any] else {
                throw .badRequest("streams[\(index)] must be an object with \"stream\" (an object of labels) and \"values\" (an array)")
            }
            guard labelObject.count <= limits.maxLabelsPerSeries else {
                throw .badRequest("streams[\(index)] has \(labelObject.count) labels, over push.max_labels_per_series (\(limits.maxLabelsPerSeries))")
            }
            var pairs: [Label] = []
            for (name, value) in labelObject {
                guard let text = value as? String else { throw .badRequest("streams[\(index)].stream.\(name) must be a string") }
                pairs.append(Label(name, text))
            }
            guard !pairs.isEmpty else { throw .badRequest("streams[\(index)] has no labels: at least one label pair is required per stream") }
            let labels: Labels
            do { labels = try Labels(pairs) } catch { throw .badRequest("streams[\(index)].stream: \(error)") }
            let streamSeverity = severity(labels)
            guard records.count + values.count <= limits.maxRecordsPerRequest else { throw tooManyLines(limits) }
            for (entryIndex, value) in values.enumerated() {
                let what = "streams[\(index)].values[\(entryIndex)]"
                guard let entry = value as? [Any], entry.count == 2 || entry.count == 3, let line = entry[1] as? String else {
                    throw .badRequest("\(what) must be [\"<unix epoch ns>\", \"<line>\"] or with a third element {structured metadata}")
                }
                let timestamp: Int64
                if let text = entry[0] as? String, let parsed = Int64(text) {
                    timestamp = parsed
                } else {
                    throw .badRequest("\(what): the timestamp must be a string of Unix epoch nanoseconds (a 64-bit integer), found \(String(describing: entry[0]).prefix(40))")
                }
                var fields: [Field] = []
                var severity = streamSeverity
                if entry.count == 3 {
                    guard let metadata = entry[2] as? [String: Any] else { throw .badRequest("\(what)[2] (structured metadata) must be an object of strings") }
                    for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
                        guard let text = value as? String else { throw .badRequest("\(what)[2].\(name) must be a string") }
                        fields.append(try field(name, text))
                        if severity == .unknown, name == "level" || name == "detected_level" { severity = SeverityName.severity(text) }
                    }
                }
                records.append(.log(LogRecord(timestamp: timestamp, severity: severity, labels: labels, message: ByteBuffer(string: line), fields: fields)))
            }
        }
        return records
    }

    private static func severity(_ labels: Labels) -> Severity {
        if let level = labels["level"] ?? labels["detected_level"] ?? labels["severity"] { return SeverityName.severity(level) }
        return .unknown
    }

    private static func field(_ name: String, _ value: String) throws(PushError) -> Field {
        guard !name.isEmpty else { throw .badRequest("a structured metadata entry has an empty name") }
        return Field(name, value)
    }

    private static func tooManyLines(_ limits: PushLimits) -> PushError {
        .tooLarge("the request has more than \(limits.maxRecordsPerRequest) lines (push.max_records_per_request): send smaller requests")
    }
}
