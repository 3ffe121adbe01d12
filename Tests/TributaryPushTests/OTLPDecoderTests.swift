import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats

/// OTLP requests into records by the documented rules (Prometheus' OTLP
/// receiver for metrics, Loki's for logs).
@Suite struct OTLPDecoderTests {
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    static func attribute(_ key: String, _ value: String) -> KeyValue {
        var pair = KeyValue()
        pair.key = key
        pair.value.stringValue = value
        return pair
    }

    static func resource() -> Opentelemetry_Proto_Resource_V1_Resource {
        var resource = Opentelemetry_Proto_Resource_V1_Resource()
        resource.attributes = [attribute("service.name", "checkout"), attribute("service.namespace", "shop"),
                               attribute("service.instance.id", "i-1"), attribute("host.arch", "amd64")]
        return resource
    }

    static func samples(_ metric: Opentelemetry_Proto_Metrics_V1_Metric) throws -> [MetricSample] {
        var request = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest()
        var resourceMetrics = Opentelemetry_Proto_Metrics_V1_ResourceMetrics()
        resourceMetrics.resource = resource()
        var scope = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
        scope.metrics = [metric]
        resourceMetrics.scopeMetrics = [scope]
        request.resourceMetrics = [resourceMetrics]
        return try OTLPMetricsDecoder.decode(try request.serializedBytes(), json: false, limits: .default).compactMap {
            if case .metric(let sample) = $0 { return sample } else { return nil }
        }
    }

    @Test func namesFollowPrometheusTranslation() {
        #expect(OTLPMetricName.name("http.server.request.duration", unit: "s", counter: false, gauge: false) == "http_server_request_duration_seconds")
        #expect(OTLPMetricName.name("system.memory.usage", unit: "By", counter: false, gauge: true) == "system_memory_usage_bytes")
        #expect(OTLPMetricName.name("requests", unit: "{request}", counter: true, gauge: false) == "requests_total")
        #expect(OTLPMetricName.name("cpu.utilization", unit: "1", counter: false, gauge: true) == "cpu_utilization_ratio")
        #expect(OTLPMetricName.name("throughput", unit: "By/s", counter: false, gauge: true) == "throughput_bytes_per_second")
    }

    @Test func monotonicCumulativeSumsAreCountersWithJobAndInstance() throws {
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.name = "orders"
        metric.sum.isMonotonic = true
        metric.sum.aggregationTemporality = .cumulative
        var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.asInt = 42
        point.attributes = [Self.attribute("payment.method", "card")]
        metric.sum.dataPoints = [point]
        let samples = try Self.samples(metric)
        let orders = try #require(samples.first { $0.name == "orders_total" })
        #expect(orders.kind == .counter && orders.value == 42)
        let expected = try Labels(["job": "shop/checkout", "instance": "i-1", "payment_method": "card"])
        #expect(orders.labels == expected)
        let info = try #require(samples.first { $0.name == "target_info" })
        #expect(info.labels["host_arch"] == "amd64" && info.value == 1)
    }

    @Test func histogramsBecomeCumulativeBucketsSumAndCount() throws {
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.name = "latency"
        metric.unit = "ms"
        metric.histogram.aggregationTemporality = .cumulative
        var point = Opentelemetry_Proto_Metrics_V1_HistogramDataPoint()
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.count = 6
        point.sum = 123.5
        point.explicitBounds = [10, 100]
        point.bucketCounts = [1, 2, 3]
        metric.histogram.dataPoints = [point]
        let samples = try Self.samples(metric)
        let buckets = samples.filter { $0.name == "latency_milliseconds_bucket" }.map { ($0.labels["le"] ?? "", $0.value) }
        #expect(buckets.map(\.0) == ["10", "100", "+Inf"])
        #expect(buckets.map(\.1) == [1, 3, 6])
        #expect(samples.first { $0.name == "latency_milliseconds_sum" }?.value == 123.5)
        #expect(samples.first { $0.name == "latency_milliseconds_count" }?.value == 6)
    }

    @Test func deltaSumsAreGaugesAndMissingValuesAreStale() throws {
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.name = "bytes.sent"
        metric.unit = "By"
        metric.sum.isMonotonic = true
        metric.sum.aggregationTemporality = .delta
        var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.asDouble = 10
        var missing = point
        missing.flags = 1
        metric.sum.dataPoints = [point, missing]
        // The unit's word is in the name already: not added twice.
        let samples = try Self.samples(metric).filter { $0.name == "bytes_sent_total" }
        try #require(samples.count == 2)
        #expect(samples.allSatisfy { $0.kind == .gauge })
        #expect(samples[1].value.bitPattern == OTLPMetricsDecoder.staleNaN.bitPattern)
    }

    @Test func logsTakeIndexedResourceAttributesAsLabelsAndTheRestAsFields() throws {
        var request = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest()
        var resourceLogs = Opentelemetry_Proto_Logs_V1_ResourceLogs()
        resourceLogs.resource = Self.resource()
        var scope = Opentelemetry_Proto_Logs_V1_ScopeLogs()
        scope.scope.name = "app.logger"
        var log = Opentelemetry_Proto_Logs_V1_LogRecord()
        log.timeUnixNano = 1_700_000_000_000_000_123
        log.severityNumber = .error
        log.severityText = "ERROR"
        log.body.stringValue = "payment declined"
        log.attributes = [Self.attribute("order.id", "o-9")]
        log.traceID = Data([0xAB, 0xCD])
        scope.logRecords = [log]
        resourceLogs.scopeLogs = [scope]
        request.resourceLogs = [resourceLogs]
        let records = try OTLPLogsDecoder.decode(try request.serializedBytes(), json: false, limits: .default)
        guard case .log(let record)? = records.first else { Issue.record("no log"); return }
        #expect(record.labels == (try Labels(["service_name": "checkout", "service_namespace": "shop", "service_instance_id": "i-1"])))
        #expect(record.severity == .error)
        #expect(record.message == ByteBuffer(string: "payment declined"))
        #expect(record.timestamp == 1_700_000_000_000_000_123)
        #expect(record.fields.contains(Field("host_arch", "amd64")))
        #expect(record.fields.contains(Field("scope_name", "app.logger")))
        #expect(record.fields.contains(Field("order_id", "o-9")))
        #expect(record.fields.contains(Field("trace_id", "abcd")))
    }

    @Test func otlpJSONLogsDecodeWithHexTraceIDs() throws {
        let json = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1700000000000000000","severityNumber":9,"body":{"stringValue":"hello"},"traceId":"5b8efff798038103d269b633813fc60c"}]}]}]}"#
        let records = try OTLPLogsDecoder.decode(Array(json.utf8), json: true, limits: .default)
        guard case .log(let record)? = records.first else { Issue.record("no log"); return }
        #expect(record.labels["service_name"] == "svc")
        #expect(record.severity == .info)
        #expect(record.fields.contains(Field("trace_id", "5b8efff798038103d269b633813fc60c")))
    }
}
