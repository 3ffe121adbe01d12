import Foundation
import NIOCore
import SwiftProtobuf
import TributaryModel
import TributaryPushFormats

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
        let request: Logproto_PushRequest
        do {
            request = try Logproto_PushRequest(serializedBytes: bytes)
        } catch {
            throw .badRequest("the body is not a Loki PushRequest protobuf message (\(error)); JSON bodies need Content-Type: application/json")
        }
        guard request.streams.count <= limits.maxSeriesPerRequest else {
            throw .tooLarge("the request has \(request.streams.count) streams, over push.max_series_per_request (\(limits.maxSeriesPerRequest))")
        }
        var records: [Record] = []
        records.reserveCapacity(min(limits.maxRecordsPerRequest, request.streams.reduce(0) { $0 + $1.entries.count }))
        for stream in request.streams {
            let labels = try LokiLabelsParser.parse(stream.labels, maxLabels: limits.maxLabelsPerSeries)
            let streamSeverity = severity(labels)
            guard records.count + stream.entries.count <= limits.maxRecordsPerRequest else {
                throw tooManyLines(limits)
            }
            for entry in stream.entries {
                let timestamp = try PushTime.nanoseconds(seconds: entry.timestamp.seconds, nanos: entry.timestamp.nanos,
                                                         what: "an entry of stream \(stream.labels.prefix(200))")
                var fields: [Field] = []
                var severity = streamSeverity
                if !entry.structuredMetadata.isEmpty {
                    fields.reserveCapacity(entry.structuredMetadata.count)
                    for pair in entry.structuredMetadata {
                        fields.append(try field(pair.name, pair.value))
                        if severity == .unknown, pair.name == "level" || pair.name == "detected_level" { severity = SeverityName.severity(pair.value) }
                    }
                }
                records.append(.log(LogRecord(timestamp: timestamp, severity: severity, labels: labels, message: ByteBuffer(string: entry.line),
                                              fields: fields)))
            }
        }
        return records
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
