import Foundation
import Testing
import TributaryTestSupport

/// The shippers' own client libraries pushing into a real node over
/// HTTPS: Loki's protobuf+snappy wire format built from push.proto with
/// PyPI's protobuf and python-snappy, python-logging-loki (JSON), and the
/// OpenTelemetry SDK's OTLP/HTTP exporters. Each test then reads the data
/// back through the query API.
@Suite struct PushClientTests {
    @Test func lokiProtobufSnappyPushFromPythonIsStoredOnceAndQueryable() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let descriptors = try PushHTTP.descriptorSet(in: setup.directory)
        let script = """
            import snappy, ssl, time, urllib.request, sys
            from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
            files = descriptor_pb2.FileDescriptorSet.FromString(open("\(descriptors)", "rb").read())
            pool = descriptor_pool.DescriptorPool()
            for file in files.file: pool.Add(file)
            PushRequest = message_factory.GetMessageClass(pool.FindMessageTypeByName("logproto.PushRequest"))
            request = PushRequest()
            stream = request.streams.add()
            stream.labels = '{app="promtail-like", level="warn"}'
            now = time.time_ns()
            for i in range(200):
                entry = stream.entries.add()
                entry.timestamp.FromNanoseconds(now - 1000 + i)
                entry.line = f"line {i} of a protobuf push"
                meta = entry.structuredMetadata.add()
                meta.name = "trace_id"
                meta.value = f"trace-{i}"
            body = snappy.compress(request.SerializeToString())
            context = ssl.create_default_context(cafile="\(setup.pki.caFile)")
            for attempt in range(2):  # a retry after a lost answer sends the same bytes
                post = urllib.request.Request("https://127.0.0.1:\(http)/loki/api/v1/push", data=body,
                    headers={"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", "Authorization": "Bearer token-for-acme"})
                print(urllib.request.urlopen(post, timeout=30, context=context).status)
            """
        let python = try PushHTTP.python(script)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout.split(separator: "\n") == ["204", "204"], "\(python.stdout) \(python.stderr)")
        let answer = try NodeHTTP.query(port: http, #"{app="promtail-like"}"#, ["limit": "1000"])
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.lines.count == 200, "a retried push must be stored once")
        let first = try #require(answer.lines.last)
        #expect(first["line"] as? String == "line 0 of a protobuf push")
        #expect((first["fields"] as? [String: Any])?["trace_id"] as? String == "trace-0")
        #expect(first["severity"] as? String == "warning")
    }

    @Test func pythonLoggingLokiAndGzipJSONPushesAreStored() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        // python-logging-loki: JSON, HTTP Basic with the tenant and token.
        let script = """
            import logging
            import logging_loki
            handler = logging_loki.LokiHandler(url="https://127.0.0.1:\(http)/loki/api/v1/push", tags={"app": "pylogging"},
                                               auth=("acme", "token-for-acme"), version="1")
            logger = logging.getLogger("shop")
            logger.addHandler(handler)
            for i in range(7):
                logger.error("payment %d failed", i, extra={"tags": {"service": "payments"}})
            print("sent")
            """
        let python = try PushHTTP.python(script, environment: ["REQUESTS_CA_BUNDLE": setup.pki.caFile])
        #expect(python.status == 0 && python.stderr.isEmpty, "\(python.stdout) \(python.stderr)")
        let logging = try NodeHTTP.query(port: http, #"{app="pylogging", service="payments"}"#, ["limit": "100"])
        #expect(Set(logging.messages) == Set((0..<7).map { "payment \($0) failed" }), "\(logging.body)")
        #expect(logging.lines.allSatisfy { $0["severity"] as? String == "error" })
        // Fluent Bit's loki output: JSON with structured metadata, gzip.
        let gzip = """
            import gzip, json, ssl, time, urllib.request
            now = time.time_ns()
            body = {"streams": [{"stream": {"job": "fluent-bit"}, "values": [[str(now - i), f"gz line {i}", {"pod": "web-1"}] for i in range(50)]}]}
            context = ssl.create_default_context(cafile="\(setup.pki.caFile)")
            post = urllib.request.Request("https://127.0.0.1:\(http)/loki/api/v1/push", data=gzip.compress(json.dumps(body).encode()),
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip", "Authorization": "Bearer token-for-acme"})
            print(urllib.request.urlopen(post, timeout=30, context=context).status)
            """
        let fluent = try PushHTTP.python(gzip)
        #expect(fluent.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "204", "\(fluent.stdout) \(fluent.stderr)")
        let lines = try NodeHTTP.query(port: http, #"{job="fluent-bit"}"#, ["limit": "100"])
        #expect(lines.lines.count == 50)
        #expect(lines.lines.allSatisfy { ($0["fields"] as? [String: Any])?["pod"] as? String == "web-1" })
    }

    @Test func openTelemetrySDKLogsAndMetricsArriveOverOTLPHTTP() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let script = """
            import logging
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
            from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
            from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.sdk.metrics import MeterProvider
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
            base = "https://127.0.0.1:\(http)"
            headers = {"Authorization": "Bearer token-for-acme"}
            ca = "\(setup.pki.caFile)"
            resource = Resource.create({"service.name": "otel-test", "service.instance.id": "i-7", "deployment.environment": "ci"})
            logs = LoggerProvider(resource=resource)
            logs.add_log_record_processor(BatchLogRecordProcessor(OTLPLogExporter(endpoint=base + "/v1/logs", headers=headers, certificate_file=ca)))
            logger = logging.getLogger("checkout")
            logger.setLevel(logging.INFO)
            logger.addHandler(LoggingHandler(logger_provider=logs))
            for i in range(10):
                logger.warning("order %d declined", i, extra={"order.id": f"o-{i}"})
            assert logs.force_flush()
            reader = PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=base + "/v1/metrics", headers=headers, certificate_file=ca),
                                                   export_interval_millis=60000)
            meters = MeterProvider(resource=resource, metric_readers=[reader])
            meter = meters.get_meter("shop")
            orders = meter.create_counter("orders", unit="{order}")
            latency = meter.create_histogram("latency", unit="ms")
            for i in range(10):
                orders.add(1, {"method": "card"})
                latency.record(i * 10.0, {"method": "card"})
            assert meters.force_flush()
            meters.shutdown()
            logs.shutdown()
            print("sent")
            """
        // The exporters verify the node with the CA through requests.
        let python = try PushHTTP.python(script, environment: ["REQUESTS_CA_BUNDLE": setup.pki.caFile, "OTEL_EXPORTER_OTLP_CERTIFICATE": setup.pki.caFile])
        #expect(python.status == 0 && python.stdout.contains("sent"), "\(python.stdout) \(python.stderr)")
        #expect(!python.stderr.contains("rror"), "\(python.stderr)")
        let logs = try NodeHTTP.query(port: http, #"{service_name="otel-test", deployment_environment="ci"}"#, ["limit": "100"])
        #expect(logs.lines.count == 10, "\(logs.body) \(python.stderr)")
        let first = try #require(logs.lines.last)
        #expect(first["line"] as? String == "order 0 declined")
        #expect(first["severity"] as? String == "warning")
        let fields = first["fields"] as? [String: Any] ?? [:]
        #expect(fields["order_id"] as? String == "o-0" && fields["scope_name"] as? String == "checkout")
        #expect(fields["telemetry_sdk_language"] as? String == "python")
        let instant = ["query": "sum(orders_total)"]
        let orders = try NodeHTTP.get(port: http, "/api/v1/query?" + Self.form(instant))
        #expect(Self.value(orders) == 10, "\(orders.body)")
        let count = try NodeHTTP.get(port: http, "/api/v1/query?" + Self.form(["query": #"latency_milliseconds_count{job="otel-test", instance="i-7", method="card"}"#]))
        #expect(Self.value(count) == 10, "\(count.body)")
        let below = try NodeHTTP.get(port: http, "/api/v1/query?" + Self.form(["query": #"sum(latency_milliseconds_bucket{le="50"})"#]))
        #expect(Self.value(below) == 6, "observations 0…50 ms: \(below.body)")
    }

    static func form(_ parameters: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = parameters.map { URLQueryItem(name: $0.key, value: $0.value) }
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    /// The single value of an instant vector answer.
    static func value(_ response: NodeHTTP.Response) -> Double? {
        guard let first = response.series.first, let value = first["value"] as? [Any], value.count == 2, let text = value[1] as? String else { return nil }
        return Double(text)
    }
}
