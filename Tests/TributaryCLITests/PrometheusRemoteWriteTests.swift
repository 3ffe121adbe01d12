import Foundation
import Testing
import TributaryFreePort
import TributaryTestSupport

/// Debian's Prometheus scraping itself and remote-writing into a node over
/// HTTPS; then the same PromQL queries over the same window, asked of
/// Prometheus and of Tributary, must give equal answers.
@Suite struct PrometheusRemoteWriteTests {
    static let queries = [
        "sum(up)",
        "sum by (job) (scrape_samples_scraped)",
        "max(prometheus_tsdb_head_series)",
        "count(prometheus_http_requests_total)",
        "sum(prometheus_http_requests_total)",
        "sum(rate(prometheus_http_requests_total[5s]))",
        "max_over_time(scrape_duration_seconds[10s])",
    ]

    @Test func prometheusRemoteWriteAnswersTheSamePromQLAsPrometheus() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let prometheusPort = try FreePort.find()
        let config = setup.directory.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ["127.0.0.1:\(prometheusPort)"]
            remote_write:
              - url: https://127.0.0.1:\(http)/api/v1/write
                authorization:
                  credentials: token-for-acme
                tls_config:
                  ca_file: \(setup.pki.caFile)
                queue_config:
                  batch_send_deadline: 1s
            """.write(to: config, atomically: true, encoding: .utf8)
        let prometheus = try RunningProcess(URL(fileURLWithPath: "/usr/bin/prometheus"), [
            "--config.file=\(config.path)", "--web.listen-address=127.0.0.1:\(prometheusPort)",
            "--storage.tsdb.path=\(setup.directory.appendingPathComponent("prometheus").path)",
        ])
        defer { prometheus.terminate() }
        _ = try await prometheus.waitForLine { $0.contains("Server is ready to receive web requests") }
        // 32 s of scrapes; the window ends 6 s ago, past what remote write
        // (1 s send deadline) has delivered, and starts 16 s after
        // Prometheus was ready, so every rate window lies after its series
        // began. (At a series' start, Prometheus 2.42 extrapolates rate()
        // differently from Tributary's engine: 0.1/s apart on the first
        // windows of a 1/s counter; the query engine's to settle.)
        try await Task.sleep(for: .seconds(32))
        let end = Int(Date().timeIntervalSince1970) - 6
        let start = end - 10
        var compared = 0
        for query in Self.queries {
            let parameters = Self.form(["query": query, "start": String(start), "end": String(end), "step": "1"])
            let reference = try NodeHTTP.get(port: prometheusPort, "/api/v1/query_range?" + parameters, token: nil)
            let ours = try NodeHTTP.get(port: http, "/api/v1/query_range?" + parameters)
            #expect(reference.status == 200 && ours.status == 200, "\(query): \(reference.body) \(ours.body)")
            let expected = Self.matrix(reference)
            let actual = Self.matrix(ours)
            #expect(!expected.isEmpty, "\(query): Prometheus has no data: \(reference.body)")
            #expect(Set(expected.keys) == Set(actual.keys), "\(query): series differ: \(expected.keys.sorted()) vs \(actual.keys.sorted())")
            for (series, points) in expected {
                let theirs = actual[series] ?? []
                #expect(points.map(\.0) == theirs.map(\.0), "\(query) \(series): timestamps differ")
                for ((time, value), (_, other)) in zip(points, theirs) {
                    let close = value == other || abs(value - other) <= 1e-9 * max(1, abs(value)) || (value.isNaN && other.isNaN)
                    #expect(close, "\(query) \(series) at \(time): Prometheus \(value), Tributary \(other)")
                }
                compared += points.count
            }
        }
        #expect(compared > 40)
    }

    static func form(_ parameters: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    /// A matrix answer as series (labels without `__name__`, as canonical
    /// text) → points.
    static func matrix(_ response: NodeHTTP.Response) -> [String: [(Double, Double)]] {
        var result: [String: [(Double, Double)]] = [:]
        for series in response.series {
            var labels = series["metric"] as? [String: String] ?? [:]
            labels["__name__"] = nil
            let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let values = (series["values"] as? [[Any]] ?? []).compactMap { pair -> (Double, Double)? in
                guard pair.count == 2, let time = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String, let value = Double(text) else { return nil }
                return (time, value)
            }
            result[key] = values
        }
        return result
    }
}
