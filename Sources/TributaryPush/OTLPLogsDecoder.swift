import Foundation
import NIOCore
import SwiftProtobuf
import TributaryModel
import TributaryPushFormats

/// OTLP/HTTP logs (`ExportLogsServiceRequest`, protobuf or JSON) into log
/// records, by Loki's rule for OTLP:
///
/// - the resource attributes in `indexedResourceAttributes` become labels,
///   dots and other characters as `_` (`service.name` → `service_name`;
///   without one, `service_name="unknown_service"`);
/// - every other resource attribute, the scope's `name`, `version` and
///   attributes (`scope_name`, `scope_version`, `scope_…`), the record's
///   attributes, `trace_id`, `span_id` (hex) and `severity_text` become
///   fields, names converted the same way;
/// - the body is the message (non-string bodies as JSON); the severity
///   comes from `severity_number` (or `severity_text`); the timestamp is
///   `time_unix_nano`, else `observed_time_unix_nano`, else now.
public enum OTLPLogsDecoder {
    /// Loki's default list of resource attributes stored as index labels.
    public static let indexedResourceAttributes: Set<String> = [
        "service.name", "service.namespace", "service.instance.id", "deployment.environment", "deployment.environment.name",
        "cloud.region", "cloud.availability_zone", "k8s.cluster.name", "k8s.namespace.name", "k8s.pod.name", "k8s.container.name",
        "container.name", "k8s.replicaset.name", "k8s.deployment.name", "k8s.statefulset.name", "k8s.daemonset.name",
        "k8s.cronjob.name", "k8s.job.name",
    ]

    public static func decode(_ bytes: [UInt8], json: Bool, limits: PushLimits,
                              now: Int64 = Int64(Date().timeIntervalSince1970 * 1_000_000_000)) throws(PushError) -> [Record] {
        let request: Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
        do {
            if json {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                request = try .init(jsonUTF8Bytes: bytes, options: options)
            } else {
                request = try .init(serializedBytes: bytes)
            }
        } catch {
            throw .badRequest("the body is not an OTLP ExportLogsServiceRequest (\(json ? "JSON" : "protobuf"): \(error))")
        }
        var records: [Record] = []
        var series = 0
        for resourceLogs in request.resourceLogs {
            var pairs: [Label] = []
            var resourceFields: [Field] = []
            for attribute in resourceLogs.resource.attributes {
                if indexedResourceAttributes.contains(attribute.key) {
                    pairs.append(Label(OTLPAttributes.labelName(attribute.key), OTLPAttributes.text(attribute.value)))
                } else {
                    resourceFields.append(Field(OTLPAttributes.labelName(attribute.key), OTLPAttributes.text(attribute.value)))
                }
            }
            if !pairs.contains(where: { $0.name == "service_name" }) { pairs.append(Label("service_name", "unknown_service")) }
            guard pairs.count <= limits.maxLabelsPerSeries else {
                throw .badRequest("a resource has \(pairs.count) indexed attributes, over push.max_labels_per_series (\(limits.maxLabelsPerSeries))")
            }
            let labels: Labels
            do { labels = try Labels(Self.unique(pairs)) } catch { throw .badRequest("resource attributes: \(error)") }
            series += 1
            guard series <= limits.maxSeriesPerRequest else {
                throw .tooLarge("the request has more than \(limits.maxSeriesPerRequest) resources (push.max_series_per_request)")
            }
            for scopeLogs in resourceLogs.scopeLogs {
                var scopeFields = resourceFields
                if !scopeLogs.scope.name.isEmpty { scopeFields.append(Field("scope_name", scopeLogs.scope.name)) }
                if !scopeLogs.scope.version.isEmpty { scopeFields.append(Field("scope_version", scopeLogs.scope.version)) }
                for attribute in scopeLogs.scope.attributes {
                    scopeFields.append(Field("scope_" + OTLPAttributes.labelName(attribute.key), OTLPAttributes.text(attribute.value)))
                }
                guard records.count + scopeLogs.logRecords.count <= limits.maxRecordsPerRequest else {
                    throw .tooLarge("the request has more than \(limits.maxRecordsPerRequest) log records (push.max_records_per_request)")
                }
                for log in scopeLogs.logRecords {
                    let raw = log.timeUnixNano != 0 ? log.timeUnixNano : log.observedTimeUnixNano
                    let timestamp = raw == 0 ? now : try PushTime.nanoseconds(unsigned: raw, what: "a log record")
                    var fields = scopeFields
                    for attribute in log.attributes {
                        fields.append(Field(OTLPAttributes.labelName(attribute.key), OTLPAttributes.text(attribute.value)))
                    }
                    if !log.traceID.isEmpty { fields.append(Field("trace_id", OTLPAttributes.hex(log.traceID, json: json))) }
                    if !log.spanID.isEmpty { fields.append(Field("span_id", OTLPAttributes.hex(log.spanID, json: json))) }
                    if !log.severityText.isEmpty { fields.append(Field("severity_text", log.severityText)) }
                    let message = log.hasBody ? OTLPAttributes.text(log.body) : ""
                    records.append(.log(LogRecord(timestamp: timestamp, severity: severity(log), labels: labels, message: ByteBuffer(string: message),
                                                  fields: fields)))
                }
            }
        }
        return records
    }

    /// OTLP severity numbers: 1–4 trace, 5–8 debug, 9–12 info, 13–16
    /// warn, 17–20 error, 21–24 fatal.
    static func severity(_ log: Opentelemetry_Proto_Logs_V1_LogRecord) -> Severity {
        switch log.severityNumber.rawValue {
        case 1...8: return .debug
        case 9...12: return .info
        case 13...16: return .warning
        case 17...20: return .error
        case 21...24: return .critical
        default: return SeverityName.severity(log.severityText)
        }
    }

    /// The first label of each name (a converted name may repeat).
    static func unique(_ pairs: [Label]) -> [Label] {
        var seen: Set<String> = []
        return pairs.filter { seen.insert($0.name).inserted }
    }
}
