import Foundation
import Testing
import TributaryTestSupport

/// The requests Grafana's Loki data source makes, replayed against a real
/// `trib node`, and each answer checked field by field against Loki's
/// documented shapes (https://grafana.com/docs/loki/latest/reference/loki-http-api/):
/// streams `{"stream":{…},"values":[["<ns>","<line>"]]}`, matrix values
/// `[<seconds>,"<value>"]`, `index/stats` `{"streams","chunks","bytes","entries"}`.
@Suite struct GrafanaLokiTests {
    static let second = NodeQueryTests.second
    static let now = NodeQueryTests.now
    static var start: String { String(now - 900 * second) }
    static var end: String { String(now + second) }

    /// The nginx lines of `NodeQueryTests.sample()`, newest first.
    static let nginx = ["GET /d 504 upstream timeout", "POST /c 500 internal error", "GET /healthz 504 upstream timeout",
                        "GET /b 504 upstream timeout", "GET /a 200 0.003"]

    /// `values` of a stream: each a pair of strings, the first a nanosecond time.
    static func entries(_ stream: [String: Any]) -> [(ns: Int64, line: String)] {
        ((stream["values"] as? [[Any]]) ?? []).compactMap { pair in
            guard pair.count == 2, let time = pair[0] as? String, let ns = Int64(time), let line = pair[1] as? String else { return nil }
            return (ns, line)
        }
    }

    /// `values` of a matrix series: `[<seconds as a number>, "<value>"]`.
    static func points(_ series: [String: Any]) -> [(seconds: Double, value: Double)] {
        ((series["values"] as? [[Any]]) ?? []).compactMap { pair in
            guard pair.count == 2, let seconds = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String, let value = Double(text) else { return nil }
            return (seconds, value)
        }
    }

    @Test func healthChecksBuildInfoAndReadinessAnswerAsLoki() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let grafana = GrafanaClient(port: http)

        // Grafana's Loki health check: an instant `vector(1)+vector(1)`.
        let health = try grafana.get("/loki/api/v1/query", [("query", "vector(1)+vector(1)"), ("time", String(Self.now))])
        #expect(health.status == 200, "\(health.body)")
        #expect(health.json["status"] as? String == "success")
        #expect(health.data["resultType"] as? String == "vector")
        let sample = try #require((health.data["result"] as? [[String: Any]])?.first)
        #expect(sample["metric"] as? [String: String] == [:])
        let value = try #require(sample["value"] as? [Any])
        #expect((value[0] as? NSNumber)?.doubleValue == Double(Self.now / Self.second))
        #expect(value[1] as? String == "2")
        #expect(health.data["stats"] is [String: Any], "Loki puts stats inside data")

        let posted = try grafana.post("/loki/api/v1/query", [("query", "vector(1) + vector(1)")])
        #expect(posted.data["resultType"] as? String == "vector", "a form POST, with + for spaces: \(posted.body)")
        let scalar = try grafana.get("/loki/api/v1/query", [("query", "1+1")])
        #expect(scalar.data["resultType"] as? String == "scalar", "\(scalar.body)")
        #expect((scalar.data["result"] as? [Any])?.last as? String == "2")

        let info = try grafana.get("/loki/api/v1/status/buildinfo")
        #expect(info.status == 200)
        #expect(info.json["version"] as? String == "3.0.0")
        #expect(info.json["revision"] is String && info.json["branch"] is String && info.json["goVersion"] is String)

        let ready = try NodeHTTP.get(port: http, "/ready", token: nil)
        #expect(ready.status == 200 && ready.body == "ready\n")

        let patterns = try grafana.get("/loki/api/v1/patterns", [("query", #"{app="nginx"}"#), ("start", Self.start), ("end", Self.end)])
        #expect(patterns.status == 200)
        // Loki's shape: [{"pattern": "…", "samples": [[<seconds>, <count>], …]}], one entry per mined pattern.
        #expect(patterns.json["status"] as? String == "success")
        // This node holds no lines yet, so the list is empty but present
        // (LogPatternProcessTests checks mined patterns in this shape).
        #expect(patterns.json["data"] is [Any], "\(patterns.body)")
        let mined = patterns.json["data"] as? [[String: Any]] ?? []
        for entry in mined {
            #expect(entry["pattern"] is String)
            let samples = entry["samples"] as? [[Any]] ?? []
            #expect(!samples.isEmpty && samples.allSatisfy { $0.count == 2 && $0[0] is NSNumber && $0[1] is NSNumber }, "\(entry)")
        }

        // Loki answers errors as plain text.
        let bad = try grafana.get("/loki/api/v1/query_range", [("query", #"{app="nginx""#)])
        #expect(bad.status == 400)
        #expect(bad.body.contains("expected"), "\(bad.body)")
        let badTime = try grafana.get("/loki/api/v1/query_range", [("query", #"{app="nginx"}"#), ("start", "yesterday")])
        #expect(badTime.status == 400 && badTime.body.contains("parameter start"), "\(badTime.body)")
    }

    @Test func labelBrowserLogPanelAndLogVolumeAnswerAsLoki() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try NodeQueryTests.sample(), port: port, caFile: setup.pki.caFile)
        try await Self.checkLabelBrowser(GrafanaClient(port: http))
        try Self.checkLogPanel(GrafanaClient(port: http))
        try Self.checkLogVolume(GrafanaClient(port: http))
        try Self.checkIndex(GrafanaClient(port: http))
    }

    /// Label names, values and series, as the label browser asks them.
    static func checkLabelBrowser(_ grafana: GrafanaClient) async throws {
        let range = [("start", start), ("end", end)]
        let labels = try grafana.get("/loki/api/v1/labels", range)
        #expect(labels.status == 200, "\(labels.body)")
        #expect(labels.json["status"] as? String == "success")
        #expect(labels.json["data"] as? [String] == ["app", "host"], "log streams' labels only, sorted: \(labels.body)")

        let apps = try grafana.get("/loki/api/v1/label/app/values", range)
        #expect(apps.json["data"] as? [String] == ["api", "nginx"], "\(apps.body)")
        let hosts = try grafana.get("/loki/api/v1/label/host/values", range + [("query", #"{app="nginx"}"#)])
        #expect(hosts.json["data"] as? [String] == ["db-1", "web-1"], "\(hosts.body)")

        let series = try grafana.get("/loki/api/v1/series", range + [("match[]", #"{app="nginx"}"#)])
        #expect(series.status == 200, "\(series.body)")
        let sets = (series.json["data"] as? [[String: String]]) ?? []
        #expect(sets == [["app": "nginx", "host": "db-1"], ["app": "nginx", "host": "web-1"]], "\(series.body)")
    }

    /// A logs panel: `query_range` backward with Grafana's limit, then forward.
    static func checkLogPanel(_ grafana: GrafanaClient) throws {
        let panel = try grafana.get("/loki/api/v1/query_range", [("direction", "backward"), ("end", end), ("limit", "1000"),
                                                               ("query", #"{app="nginx"}"#), ("start", start), ("step", "2000ms")])
        #expect(panel.status == 200, "\(panel.body)")
        #expect(panel.json["status"] as? String == "success")
        #expect(panel.data["resultType"] as? String == "streams")
        let streams = (panel.data["result"] as? [[String: Any]]) ?? []
        #expect(streams.count == 2)
        for stream in streams {
            #expect(Set(stream.keys) == ["stream", "values"])
            let labels = try #require(stream["stream"] as? [String: String])
            let entries = Self.entries(stream)
            #expect(entries.count == (stream["values"] as? [Any])?.count, "every value is [\"<ns>\", \"<line>\"]")
            #expect(entries.map(\.ns) == entries.map(\.ns).sorted(by: >), "newest first for backward")
            #expect(entries.allSatisfy { $0.ns > now - 400 * second && $0.ns <= now }, "nanosecond timestamps")
            let expected = labels["host"] == "web-1" ? Array(nginx.dropFirst()) : ["GET /d 504 upstream timeout"]
            #expect(entries.map(\.line) == expected, "\(labels)")
        }
        let summary = (panel.data["stats"] as? [String: Any])?["summary"] as? [String: Any]
        #expect(summary?["totalEntriesReturned"] as? Int == 5, "\(panel.body)")

        let forward = try grafana.get("/loki/api/v1/query_range", [("direction", "FORWARD"), ("limit", "2"), ("query", #"{app="nginx"}"#),
                                                                 ("start", start), ("end", end)])
        let lines = ((forward.data["result"] as? [[String: Any]]) ?? []).flatMap(Self.entries).sorted { $0.ns < $1.ns }.map(\.line)
        #expect(lines == ["GET /a 200 0.003", "GET /b 504 upstream timeout"], "\(forward.body)")
    }

    /// Grafana's log volume histogram above a logs panel.
    static func checkLogVolume(_ grafana: GrafanaClient) throws {
        let volume = try grafana.get("/loki/api/v1/query_range", [
            ("query", #"sum by (level) (count_over_time({app="nginx"} | drop __error__[1m]))"#),
            ("start", String(now - 600 * second)), ("end", String(now)), ("step", "60000ms"),
        ])
        #expect(volume.status == 200, "\(volume.body)")
        #expect(volume.data["resultType"] as? String == "matrix")
        let series = (volume.data["result"] as? [[String: Any]]) ?? []
        #expect(series.count == 1, "\(volume.body)")
        let points = series.flatMap(Self.points)
        #expect(points.count == (series.first?["values"] as? [Any])?.count, "every value is [<seconds>, \"<count>\"]")
        #expect(points.reduce(0) { $0 + $1.value } == 5, "each nginx line in one one-minute window: \(volume.body)")
        #expect(points.allSatisfy { $0.seconds.truncatingRemainder(dividingBy: 60) == Double((now / second) % 60) }, "steps from start")
    }

    /// `index/stats`, `index/volume` and `index/volume_range`.
    static func checkIndex(_ grafana: GrafanaClient) throws {
        let bytes = nginx.reduce(0) { $0 + $1.utf8.count }
        let stats = try grafana.get("/loki/api/v1/index/stats", [("query", #"{app="nginx"}"#), ("start", start), ("end", end)])
        #expect(stats.status == 200, "\(stats.body)")
        #expect(stats.json["streams"] as? Int == 2 && stats.json["entries"] as? Int == 5, "\(stats.body)")
        #expect(stats.json["bytes"] as? Int == bytes && stats.json["chunks"] is Int, "\(stats.body)")

        let volume = try grafana.get("/loki/api/v1/index/volume", [("query", #"{app="nginx"}"#), ("start", start), ("end", end), ("limit", "10")])
        #expect(volume.status == 200, "\(volume.body)")
        #expect(volume.data["resultType"] as? String == "vector")
        let entry = try #require((volume.data["result"] as? [[String: Any]])?.first)
        #expect(entry["metric"] as? [String: String] == ["app": "nginx"])
        #expect((entry["value"] as? [Any])?.last as? String == String(bytes))

        let byHost = try grafana.get("/loki/api/v1/index/volume_range", [("query", #"{app="nginx"}"#), ("targetLabels", "host"),
                                                                       ("start", String(now - 600 * second)), ("end", String(now)), ("step", "60")])
        #expect(byHost.data["resultType"] as? String == "matrix", "\(byHost.body)")
        let series = (byHost.data["result"] as? [[String: Any]]) ?? []
        #expect(Set(series.compactMap { ($0["metric"] as? [String: String])?["host"] }) == ["db-1", "web-1"])
        #expect(series.flatMap(Self.points).reduce(0) { $0 + $1.value } == Double(bytes), "\(byHost.body)")
    }

    @Test func basicAuthNeedsTheTenantAsUser() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let good = try GrafanaClient(port: http).get("/loki/api/v1/labels")
        #expect(good.status == 200, "\(good.body)")
        var wrongUser = GrafanaClient(port: http)
        wrongUser.user = "globex"
        let refused = try wrongUser.get("/loki/api/v1/labels")
        #expect(refused.status == 401)
        let message = refused.json["error"] as? String ?? ""
        #expect(message.contains("\"globex\" is not the tenant of this token"), "\(refused.body)")
        var wrongPassword = GrafanaClient(port: http)
        wrongPassword.password = "nope"
        #expect(try wrongPassword.get("/api/v1/labels").status == 401)
        let bearer = try NodeHTTP.get(port: http, "/loki/api/v1/label/app/values")
        #expect(bearer.status == 200, "Bearer still works: \(bearer.body)")
    }
}
