import Foundation
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// PromQL and LogQL through real node processes: the same Loghub lines,
/// logfmt lines and counters go to one node and to a three-node cluster
/// (RF 2); every query's answer is checked against values counted here
/// with plain string operations, and every cluster node must answer
/// exactly what the single node answers.
extension AgentProcessTests {
@Suite struct QueryLanguageProcessTests {
    static let second: Int64 = 1_000_000_000
    /// The evaluation time of every instant query: a whole second, so the
    /// JSON's seconds compare exactly.
    static let now = Int64(Date().timeIntervalSince1970) * second
    static let routes = ["/api/cart", "/api/checkout", "/api/orders"]

    struct Data {
        var records: [Record] = []
        var apache: [String] = []
        var hdfs: [String] = []
        /// (level, route, latency) of each checkout line.
        var checkout: [(String, String, Int)] = []
    }

    /// 600 Apache and 600 HDFS lines over the last 50 minutes, 300 logfmt
    /// lines of `checkout` (fields extracted as an agent does), and a
    /// counter per host rising 2/s and 1/s.
    static func data() throws -> Data {
        var data = Data()
        data.apache = Array(try String(contentsOf: RepositoryPaths.loghub.appendingPathComponent("Apache_2k.log"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).prefix(600).map(String.init))
        data.hdfs = Array(try String(contentsOf: RepositoryPaths.loghub.appendingPathComponent("HDFS_2k.log"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).prefix(600).map(String.init))
        try #require(data.apache.count == 600 && data.hdfs.count == 600, "Loghub samples have 2,000 lines each (CRLF)")
        for (index, line) in data.apache.enumerated() {
            data.records.append(.log(LogRecord(timestamp: now - 3000 * second + Int64(index) * 5 * second, severity: .info,
                                               labels: try Labels(["app": "apache", "host": "h\(index % 2)"]), message: line)))
        }
        for (index, line) in data.hdfs.enumerated() {
            data.records.append(.log(LogRecord(timestamp: now - 3000 * second + Int64(index) * 5 * second + 1, severity: .info,
                                               labels: try Labels(["app": "hdfs", "host": "h\(index % 3)"]), message: line)))
        }
        for index in 0..<300 {
            let level = index % 10 == 0 ? "error" : index % 4 == 0 ? "warn" : "info"
            let route = routes[index % 3]
            let latency = (index * 37) % 250
            data.checkout.append((level, route, latency))
            let line = "level=\(level) msg=\"request served\" route=\(route) latency_ms=\(latency)"
            let fields = [Field("level", level), Field("route", route), Field("latency_ms", String(latency))]
            data.records.append(.log(LogRecord(timestamp: now - 3000 * second + Int64(index) * 10 * second + 2, severity: .info,
                                               labels: try Labels(["app": "checkout"]), message: line, fields: fields)))
        }
        for step in 0..<60 {
            for (host, perSecond) in [("h0", 2.0), ("h1", 1.0)] {
                data.records.append(.metric(MetricSample(name: "http_requests_total", labels: try Labels(["host": host]),
                                                         timestamp: now - 590 * second + Int64(step) * 10 * second, value: Double(step) * 10 * perSecond,
                                                         kind: .counter)))
            }
        }
        return data
    }

    /// `/api/v1/query` at `now`.
    static func instant(port: Int, _ query: String) throws -> NodeHTTP.Response {
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = [URLQueryItem(name: "query", value: query), URLQueryItem(name: "time", value: String(now / second))]
        return try NodeHTTP.get(port: port, components.url!.absoluteString.replacingOccurrences(of: "+", with: "%2B"))
    }

    /// An instant vector as label set → value.
    static func vector(_ response: NodeHTTP.Response) -> [[String: String]: Double] {
        var result: [[String: String]: Double] = [:]
        for entry in response.json["data"].flatMap({ ($0 as? [String: Any])?["result"] as? [[String: Any]] }) ?? [] {
            let labels = entry["metric"] as? [String: String] ?? [:]
            result[labels] = Double((entry["value"] as? [Any])?.last as? String ?? "")
        }
        return result
    }

    @Test func promQLAndLogQLAnswerAsCountedAndTheClusterAnswersAsOneNode() async throws {
        let data = try Self.data()
        let single = try NodeSetup()
        let (node, port, http) = try await single.startWithHTTP()
        defer { node.terminate() }
        let cluster = try ClusterSetup(["node-a", "node-b", "node-c"])
        try await cluster.startAll()
        try await NodeQueryTests.send(data.records, port: port, caFile: single.pki.caFile)
        try await NodeQueryTests.send(data.records, port: cluster.node("node-a").agentPort, caFile: cluster.pki.caFile)

        // Grafana's health checks.
        #expect(Self.vector(try Self.instant(port: http, "vector(1)+vector(1)")) == [[:]: 2])
        let scalar = try Self.instant(port: http, "1+1")
        #expect(((scalar.json["data"] as? [String: Any])?["result"] as? [Any])?.last as? String == "2", "\(scalar.body)")

        // Counted here: lines holding "error" per app; checkout lines per level.
        let errors = Self.vector(try Self.instant(port: http, #"sum by (app) (count_over_time({app=~"apache|hdfs"} |= "error" [1h]))"#))
        var expected: [[String: String]: Double] = [:]
        let apacheErrors = data.apache.filter { $0.contains("error") }.count
        let hdfsErrors = data.hdfs.filter { $0.contains("error") }.count
        if apacheErrors > 0 { expected[["app": "apache"]] = Double(apacheErrors) }
        if hdfsErrors > 0 { expected[["app": "hdfs"]] = Double(hdfsErrors) }
        #expect(errors == expected)
        let levels = Self.vector(try Self.instant(port: http, #"sum by (level) (count_over_time({app="checkout"} | logfmt [1h]))"#))
        #expect(levels == Dictionary(grouping: data.checkout, by: \.0).reduce(into: [:]) { $0[["level": $1.key]] = Double($1.value.count) })

        // A pipeline: parse, compare a number, reformat; oldest first.
        let slow = try NodeHTTP.query(port: http, #"{app="checkout"} | logfmt | latency_ms > 200 | line_format "{{.route}} {{.latency_ms}}""#,
                                      ["start": "1h", "direction": "forward", "limit": "1000"])
        #expect(slow.messages == data.checkout.filter { $0.2 > 200 }.map { "\($0.1) \($0.2)" })

        // Unwrapped: the median latency per route, with Prometheus' interpolation.
        let medians = Self.vector(try Self.instant(port: http, #"quantile_over_time(0.5, {app="checkout"} | logfmt | unwrap latency_ms [1h]) by (route)"#))
        for route in Self.routes {
            let sorted = data.checkout.filter { $0.1 == route }.map { Double($0.2) }.sorted()
            let rank = 0.5 * Double(sorted.count - 1)
            let median = sorted[Int(rank)] + (sorted[min(sorted.count - 1, Int(rank) + 1)] - sorted[Int(rank)]) * (rank - rank.rounded(.down))
            #expect(medians[["route": route]] == median, "\(route)")
        }

        // Named groups become labels: every line naming a client, counted.
        let clients = Self.vector(try Self.instant(port: http, #"sum(count_over_time({app="apache"} | regexp "\\[client (?P<client>[0-9.]+)\\]" | client!="" [1h]))"#))
        #expect(clients == [[:]: Double(data.apache.filter { $0.contains("[client ") }.count)])

        // PromQL over counters rising 2/s and 1/s.
        let rate = Self.vector(try Self.instant(port: http, "sum(rate(http_requests_total[5m]))"))
        #expect(abs((rate[[:]] ?? 0) - 3) < 1e-9, "\(rate)")
        let ratio = Self.vector(try Self.instant(port: http, #"rate(http_requests_total{host="h0"}[5m]) / ignoring(host) rate(http_requests_total{host="h1"}[5m])"#))
        #expect(ratio.count == 1 && abs((ratio.values.first ?? 0) - 2) < 1e-9, "\(ratio)")

        // Mistakes are 400s that say what is wrong.
        let noGroup = try NodeHTTP.query(port: http, #"{app="apache"} | regexp "(client)""#)
        #expect(noGroup.status == 400 && noGroup.body.contains("named"), "\(noGroup.body)")
        let open = try NodeHTTP.query(port: http, "sum(rate(x[5m])")
        #expect(open.status == 400 && open.json["position"] != nil, "\(open.body)")

        // Every cluster node answers exactly what the single node answers.
        let queries = [
            #"sum by (app) (count_over_time({app=~"apache|hdfs"} |= "error" [1h]))"#,
            #"sum by (level) (count_over_time({app="checkout"} | logfmt [1h]))"#,
            #"quantile_over_time(0.9, {app="checkout"} | logfmt | unwrap latency_ms [30m]) by (route)"#,
            #"topk(2, sum by (host) (bytes_over_time({app="hdfs"} [1h])))"#,
            #"sum by (client) (count_over_time({app="apache"} | regexp "\\[client (?P<client>[0-9.]+)\\]" | client!="" [1h]))"#,
            "sum by (host) (rate(http_requests_total[5m]))",
            "vector(1) + vector(1)",
        ]
        for query in queries {
            let reference = Self.vector(try Self.instant(port: http, query))
            #expect(!reference.isEmpty, "\(query) answers nothing on one node")
            for id in ["node-a", "node-b", "node-c"] {
                #expect(Self.vector(try Self.instant(port: cluster.node(id).httpPort, query)) == reference, "\(id): \(query)")
            }
            let window = ["start": String(Self.now / Self.second - 3000), "end": String(Self.now / Self.second), "step": "5m"]
            let range = try NodeHTTP.query(port: http, query, window)
            let clustered = try NodeHTTP.query(port: cluster.node("node-b").httpPort, query, window)
            #expect(range.status == 200 && NodeHTTP.sortedResult(range) == NodeHTTP.sortedResult(clustered), "range: \(query)")
        }
        await cluster.stopAll()
    }
}
}
