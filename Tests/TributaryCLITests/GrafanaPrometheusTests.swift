import Foundation
import Testing
import TributaryTestSupport

/// The requests Grafana's Prometheus data source makes (form POSTs by
/// default), replayed against a real `trib node` and checked against
/// Prometheus' documented answers
/// (https://prometheus.io/docs/prometheus/latest/querying/api/): the
/// `{"status","data"}` envelope, `[<seconds>,"<value>"]` samples, errors
/// as `{"status":"error","errorType","error"}` with 400/422/503.
@Suite struct GrafanaPrometheusTests {
    static let second = NodeQueryTests.second
    static let now = NodeQueryTests.now
    static var start: String { String(now / second - 900) }
    static var end: String { String(now / second + 1) }

    @Test func healthCheckPanelAndMetricBrowserAnswerAsPrometheus() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try NodeQueryTests.sample(), port: port, caFile: setup.pki.caFile)
        let grafana = GrafanaClient(port: http)

        // Grafana's health check: `1+1` at now, then the build info.
        let health = try grafana.post("/api/v1/query", [("query", "1+1"), ("time", String(Self.now / Self.second))])
        #expect(health.status == 200, "\(health.body)")
        #expect(health.json["status"] as? String == "success")
        #expect(health.data["resultType"] as? String == "scalar")
        let scalar = try #require(health.data["result"] as? [Any])
        #expect((scalar.first as? NSNumber)?.doubleValue == Double(Self.now / Self.second) && scalar.last as? String == "2")
        let vector = try grafana.post("/api/v1/query", [("query", "vector(1)+vector(1)")])
        #expect(vector.data["resultType"] as? String == "vector", "\(vector.body)")
        #expect(((vector.data["result"] as? [[String: Any]])?.first?["value"] as? [Any])?.last as? String == "2")

        let info = try grafana.get("/api/v1/status/buildinfo")
        #expect(info.status == 200 && info.json["status"] as? String == "success")
        #expect(info.data["version"] as? String == "2.53.0")
        #expect(info.data["features"] == nil, "a features map makes Grafana take the source for Mimir")

        // The metric browser.
        let range = [("start", Self.start), ("end", Self.end)]
        let labels = try grafana.post("/api/v1/labels", range)
        #expect(labels.json["data"] as? [String] == ["__name__", "host"], "\(labels.body)")
        let names = try grafana.get("/api/v1/label/__name__/values", range)
        #expect(names.json["data"] as? [String] == ["http_requests_total"], "\(names.body)")
        let hosts = try grafana.get("/api/v1/label/host/values", range + [("match[]", "http_requests_total")])
        #expect(hosts.json["data"] as? [String] == ["web-1", "web-2"], "\(hosts.body)")
        let series = try grafana.post("/api/v1/series", range + [("match[]", #"http_requests_total{host="web-1"}"#)])
        #expect(series.json["data"] as? [[String: String]] == [["__name__": "http_requests_total", "host": "web-1"]], "\(series.body)")
        let metadata = try grafana.get("/api/v1/metadata")
        let entry = try #require(((metadata.data["http_requests_total"]) as? [[String: String]])?.first, "\(metadata.body)")
        #expect(entry == ["type": "counter", "help": "", "unit": ""])
        let exemplars = try grafana.post("/api/v1/query_exemplars", [("query", "http_requests_total")] + range)
        #expect(exemplars.json["status"] as? String == "success" && (exemplars.json["data"] as? [Any])?.isEmpty == true)

        // A time series panel: query_range over a form POST.
        let panel = try grafana.post("/api/v1/query_range", [("query", "sum by (host) (rate(http_requests_total[1m]))"),
                                                             ("start", String(Self.now / Self.second - 240)), ("end", String(Self.now / Self.second)), ("step", "60")])
        #expect(panel.status == 200, "\(panel.body)")
        #expect(panel.data["resultType"] as? String == "matrix")
        let result = (panel.data["result"] as? [[String: Any]]) ?? []
        #expect(result.count == 2)
        for one in result {
            let host = (one["metric"] as? [String: String])?["host"]
            let points = GrafanaLokiTests.points(one)
            #expect(points.count == 5 && points.count == (one["values"] as? [Any])?.count, "\(one)")
            #expect(points.allSatisfy { abs($0.value - (host == "web-1" ? 1 : 0.5)) < 1e-9 }, "\(one)")
        }
    }

    @Test func errorsUsePrometheusEnvelope() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let grafana = GrafanaClient(port: http)
        let syntax = try grafana.post("/api/v1/query", [("query", "sum(rate(x[5m])")])
        #expect(syntax.status == 400)
        #expect(syntax.json["status"] as? String == "error" && syntax.json["errorType"] as? String == "bad_data")
        #expect((syntax.json["error"] as? String)?.isEmpty == false)
        let noMatch = try grafana.get("/api/v1/series")
        #expect(noMatch.status == 400 && noMatch.json["error"] as? String == "no match[] parameter provided", "\(noMatch.body)")
        let badMatch = try grafana.get("/api/v1/labels", [("match[]", "rate(x[5m])")])
        #expect(badMatch.status == 400 && badMatch.json["errorType"] as? String == "bad_data", "\(badMatch.body)")
        let execution = try grafana.post("/api/v1/query", [("query", #"label_replace(vector(1), "a", "$1", "b", "(")"#)])
        #expect(execution.json["status"] as? String == "error", "\(execution.body)")
        #expect([400, 422].contains(execution.status), "\(execution.body)")
    }
}
