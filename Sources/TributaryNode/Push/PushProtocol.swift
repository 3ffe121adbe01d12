import TributaryModel
import TributaryPush

/// The push APIs a node serves for other tools, each with its body format.
enum PushProtocol: String, Sendable, CaseIterable {
    /// `POST /loki/api/v1/push`: protobuf (snappy) or JSON (plain, gzip).
    case loki
    /// `POST /api/v1/write`: Prometheus remote write 1.0.
    case remoteWrite = "remote_write"
    /// `POST /v1/logs`: OTLP/HTTP logs, protobuf or JSON.
    case otlpLogs = "otlp_logs"
    /// `POST /v1/metrics`: OTLP/HTTP metrics, protobuf or JSON.
    case otlpMetrics = "otlp_metrics"

    /// The agent id of the batches stored for this protocol's requests.
    /// Agents are named after their hosts, which never start with `~`, so
    /// these do not share a sequence space with a real agent.
    var agentID: String { "~push-" + rawValue }

    enum BodyFormat { case protobuf, json }

    /// The body format a `Content-Type` names for this protocol.
    func format(contentType: String?) throws(PushError) -> BodyFormat {
        let media = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let parameters = (contentType ?? "").lowercased()
        switch self {
        case .remoteWrite:
            if parameters.contains("io.prometheus.write.v2.request") {
                throw PushError(.unsupportedMediaType,
                                "remote write 2.0 (proto=io.prometheus.write.v2.Request) is not supported: set protobuf_message: prometheus.WriteRequest (remote write 1.0) in remote_write")
            }
            guard media.isEmpty || media == "application/x-protobuf" else {
                throw PushError(.unsupportedMediaType, "Content-Type \"\(contentType ?? "")\": remote write takes application/x-protobuf (a snappy-compressed prometheus.WriteRequest)")
            }
            return .protobuf
        case .loki, .otlpLogs, .otlpMetrics:
            switch media {
            case "application/x-protobuf", "application/protobuf", "": return .protobuf
            case "application/json": return .json
            default:
                throw PushError(.unsupportedMediaType, "Content-Type \"\(contentType ?? "")\" is not read here: send application/x-protobuf or application/json")
            }
        }
    }

    /// The compression of a body that has no `Content-Encoding`: Loki's
    /// and Prometheus' protobuf bodies are snappy blocks by definition.
    func defaultEncoding(_ format: BodyFormat) -> PushEncoding {
        switch (self, format) {
        case (.remoteWrite, _), (.loki, .protobuf): return .snappy
        default: return .identity
        }
    }

    /// - Parameter seriesCache: remote-write series seen before (shared by the node's requests).
    func decode(_ bytes: [UInt8], format: BodyFormat, limits: PushLimits, seriesCache: RemoteWriteSeriesCache? = nil) throws(PushError) -> [Record] {
        switch (self, format) {
        case (.loki, .protobuf): return try LokiPushDecoder.decodeProtobuf(bytes, limits: limits)
        case (.loki, .json): return try LokiPushDecoder.decodeJSON(bytes, limits: limits)
        case (.remoteWrite, _): return try RemoteWriteDecoder.decode(bytes, limits: limits, cache: seriesCache)
        case (.otlpLogs, _): return try OTLPLogsDecoder.decode(bytes, json: format == .json, limits: limits)
        case (.otlpMetrics, _): return try OTLPMetricsDecoder.decode(bytes, json: format == .json, limits: limits)
        }
    }
}
