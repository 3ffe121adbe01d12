import Foundation
import Testing
import TributaryFreePort
import TributaryHTTPClient
import TributaryTestSupport

/// The agent's `prometheus` input against real endpoints: Debian's
/// prometheus-node-exporter and the node's own `/metrics` (HTTPS, bearer
/// token), and a Python endpoint that answers OpenMetrics when asked, with
/// labels that clash with the target's, a body over the sample limit and
/// the body size limit, and one too slow for the timeout.
/// Everything goes through a real `trib agent` into a real `trib node`
/// and is read back with PromQL on `/api/v1/query`.
extension AgentProcessTests {
@Suite struct AgentScrapeTests {
    /// `/api/v1/query` now, as label set → value.
    static func vector(_ http: Int, _ query: String) throws -> [[String: String]: Double] {
        let path = HTTPQueryPath.make("/api/v1/query", [("query", query)])
        let response = try NodeHTTP.get(port: http, path)
        guard response.status == 200 else { throw AgentSetupError.failed("\(query): \(response.status) \(response.body)") }
        return QueryLanguageProcessTests.vector(response)
    }

    /// The value of the one series `query` selects, if exactly one.
    static func value(_ http: Int, _ query: String) throws -> Double? {
        let result = try vector(http, query)
        return result.count == 1 ? result.first?.value : nil
    }

    static func startNodeExporter() async throws -> (RunningProcess, Int) {
        let port = try FreePort.find()
        let exporter = try RunningProcess(URL(fileURLWithPath: "/usr/bin/prometheus-node-exporter"), [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
            "--collector.loadavg", "--collector.meminfo", "--collector.cpu", "--collector.time"])
        _ = try await exporter.waitForLine { $0.contains("Listening on") || $0.contains("address=") && $0.contains("\(port)") }
        return (exporter, port)
    }

    @Test func nodeExporterAndTheNodesOwnMetricsArriveAndAStoppedTargetGoesStale() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let (exporter, exporterPort) = try await Self.startNodeExporter()
        defer { exporter.signal(SIGTERM) }
        try "token-for-acme\n".write(toFile: node.directory.appendingPathComponent("metrics-token").path, atomically: true, encoding: .utf8)
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: prometheus
                name: node-exporter
                job: node
                targets: [127.0.0.1:\(exporterPort)]
                interval: 500ms
              - type: prometheus
                name: self
                job: tributary
                scheme: https
                targets: [127.0.0.1:\(http)]
                tls: {ca: ca.pem}
                bearer_token_file: metrics-token
                interval: 1s
              - type: prometheus
                name: self-without-token
                job: tributary-anonymous
                scheme: https
                targets: [127.0.0.1:\(http)]
                tls: {ca: ca.pem}
                interval: 1s
              - type: prometheus
                name: self-unverified
                job: tributary-unverified
                scheme: https
                targets: [127.0.0.1:\(http)]
                tls: {insecure_skip_verify: true}
                bearer_token: token-for-acme
                interval: 1s
              - type: prometheus
                name: self-untrusted
                job: tributary-untrusted
                scheme: https
                targets: [127.0.0.1:\(http)]
                tls: {}
                bearer_token: token-for-acme
                interval: 1s
            """)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }

        let instance = "127.0.0.1:\(exporterPort)"
        // The node's certificate is trusted through ca.pem, or not checked
        // at all (insecure_skip_verify); the system's store does not know it.
        let expected = ["node": 1.0, "tributary": 1, "tributary-anonymous": 0, "tributary-unverified": 1, "tributary-untrusted": 0]
        try await AgentSetup.eventually("up for the five targets") {
            let up = try Self.vector(http, "up")
            return Dictionary(uniqueKeysWithValues: up.map { ($0.key["job"] ?? "", $0.value) }) == expected
        }
        #expect(agent.output.contains { $0.contains("self-untrusted: scrape failed (up = 0)") && $0.contains("TLS") },
                "\(agent.output.suffix(20))")
        let up = try Self.vector(http, "up")
        let exporterUp = try #require(up.first { $0.key["job"] == "node" }?.key)
        #expect(exporterUp["instance"] == instance && exporterUp["env"] == "test" && exporterUp["host"] != nil, "\(exporterUp)")
        #expect(agent.output.contains { $0.contains("self-without-token: scrape failed (up = 0)") && $0.contains("answered HTTP 401") },
                "\(agent.output.suffix(20))")

        // node_exporter's series, with the target's labels.
        try await AgentSetup.eventually("node_exporter series") {
            try Self.value(http, #"node_load1{job="node"}"#) != nil
        }
        let load = try Self.vector(http, #"node_load1{job="node"}"#)
        #expect(load.keys.first?["instance"] == instance)
        let cpus = try Self.vector(http, #"count by (mode) (node_cpu_seconds_total{job="node"})"#)
        #expect(cpus[["mode": "idle"]] ?? 0 >= 1, "\(cpus)")
        #expect(try Self.value(http, #"node_memory_MemTotal_bytes{job="node"}"#) ?? 0 > 1_048_576)
        #expect(try Self.value(http, #"scrape_samples_scraped{job="node"}"#) ?? 0 > 10)
        #expect(try Self.value(http, #"scrape_duration_seconds{job="node"}"#) ?? -1 >= 0)
        // A counter is stored as one: rate applies.
        try await AgentSetup.eventually("a rate over node_cpu_seconds_total") {
            try !Self.vector(http, #"rate(node_cpu_seconds_total{job="node",mode="idle"}[5s])"#).isEmpty
        }
        // The node's own /metrics, scraped with the bearer token.
        try await AgentSetup.eventually("the node's own ingest counter") {
            try Self.value(http, #"tributary_ingest_batches_total{job="tributary"}"#) ?? 0 > 0
        }

        // node_exporter stops: up = 0 and its series end at once (stale
        // markers), rather than 5 minutes later.
        exporter.signal(SIGTERM)
        _ = await exporter.waitForExit()
        try await AgentSetup.eventually("up 0 and stale node_exporter series") {
            try Self.value(http, #"up{job="node"}"#) == 0 && Self.vector(http, #"node_load1{job="node"}"#).isEmpty
                && Self.vector(http, #"node_memory_MemTotal_bytes{job="node"}"#).isEmpty
        }
        #expect(try Self.value(http, #"scrape_samples_scraped{job="node"}"#) == 0)
        #expect(agent.output.contains { $0.contains("input node-exporter: scrape failed (up = 0)") && $0.contains(instance) })
    }

    /// Scraped while no node runs: the samples wait in the spool and arrive,
    /// with the times they were scraped at, once the node starts.
    @Test func samplesScrapedWhileTheNodeIsDownArriveFromTheSpool() async throws {
        let nodePort = try NodeSetup.freePort()
        let node = try NodeSetup(port: nodePort)
        let (exporter, exporterPort) = try await Self.startNodeExporter()
        defer { exporter.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: prometheus
                job: node
                targets: [127.0.0.1:\(exporterPort)]
                interval: 200ms
            """)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        try await AgentSetup.eventually("scrapes spooled while the node is down") {
            let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
            return AgentSetup.metric(page, #"tributary_agent_scrapes_total{result="ok"}"#) ?? 0 >= 10
                && AgentSetup.metric(page, "tributary_agent_spool_batches") ?? 0 > 0
        }
        // Ten scrapes were made by now (the time keeps its milliseconds).
        let nodeStarted = String(format: "%.3f", Date().timeIntervalSince1970)
        let (nodeProcess, _, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        // At the node's start, the last minute already holds the spooled scrapes.
        let path = HTTPQueryPath.make("/api/v1/query", [("query", #"count_over_time(up{job="node"}[1m])"#), ("time", nodeStarted)])
        try await AgentSetup.eventually("the spooled scrapes stored") {
            let before = QueryLanguageProcessTests.vector(try NodeHTTP.get(port: http, path))
            return before.count == 1 && before.first?.value ?? 0 >= 10
        }
        #expect(try Self.value(http, #"node_load1{job="node"}"#) != nil)
    }

    /// An endpoint in Python: `/metrics` in OpenMetrics when the Accept
    /// header asks for it (text otherwise), with its own job and instance
    /// labels; `/big` with 500 series; `/huge` announcing 16 GiB; `/slow`
    /// answering after 3 s; `/shrinking` dropping a series after two answers.
    static let endpoint = #"""
        import http.server, sys, time
        shrinking = [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                accept = self.headers.get("Accept", "")
                if self.path == "/shrinking":
                    shrinking[0] += 1
                    data = ("kept 1\n" + ("gone 1\n" if shrinking[0] <= 2 else "")).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if self.path == "/slow":
                    time.sleep(3)
                if self.path == "/huge":
                    # Announces 16 GiB and keeps sending: the agent must stop at body_size_limit.
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; version=0.0.4")
                    self.send_header("Content-Length", str(1 << 34))
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"x 1\n" * 65536)
                    except Exception:
                        return
                if self.path == "/big":
                    body = "".join('many{i="%d"} 1\n' % i for i in range(500))
                    kind = "text/plain; version=0.0.4"
                elif "application/openmetrics-text" in accept:
                    body = ('# TYPE jobs counter\njobs_total{job="inner",instance="x"} 5\njobs_created{job="inner",instance="x"} 1.7e9\n'
                            '# TYPE negotiated gauge\nnegotiated{format="openmetrics",path="C:\\\\dir \\"q\\""} 1\n# EOF\n')
                    kind = "application/openmetrics-text; version=1.0.0; charset=utf-8"
                else:
                    body = 'negotiated{format="text"} 1\n'
                    kind = "text/plain; version=0.0.4"
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("port", server.server_address[1], flush=True)
        server.serve_forever()
        """#

    @Test func openMetricsHonorLabelsTargetFilesAndTheSampleLimit() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let server = try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", Self.endpoint])
        defer { server.terminate() }
        let port = try #require(Int(try await server.waitForLine { $0.hasPrefix("port ") }.dropFirst(5)))
        let targets = node.directory.appendingPathComponent("targets")
        try FileManager.default.createDirectory(at: targets, withIntermediateDirectories: true)
        let file = targets.appendingPathComponent("apps.json")
        try #"[{"targets": ["127.0.0.1:\#(port)"], "labels": {"team": "a"}}]"#.write(to: file, atomically: true, encoding: .utf8)
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: prometheus
                name: apps
                files: [targets/*.json]
                interval: 500ms
              - type: prometheus
                name: honoring
                targets: [127.0.0.1:\(port)]
                honor_labels: true
                interval: 500ms
              - type: prometheus
                name: limited
                targets: [127.0.0.1:\(port)]
                metrics_path: /big
                sample_limit: 100
                interval: 500ms
              - type: prometheus
                name: shrinking
                targets: [127.0.0.1:\(port)]
                metrics_path: /shrinking
                interval: 500ms
              - type: prometheus
                name: slow
                targets: [127.0.0.1:\(port)]
                metrics_path: /slow
                interval: 1s
                timeout: 500ms
              - type: prometheus
                name: large
                targets: [127.0.0.1:\(port)]
                metrics_path: /huge
                body_size_limit: 1KiB
                interval: 1s
            """)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }

        // OpenMetrics was negotiated; escapes arrive unescaped; the file's labels apply.
        try await AgentSetup.eventually("the OpenMetrics endpoint's series") {
            try Self.value(http, #"negotiated{job="apps"}"#) == 1
        }
        let negotiated = try #require(try Self.vector(http, #"negotiated{job="apps"}"#).keys.first)
        #expect(negotiated["format"] == "openmetrics" && negotiated["path"] == #"C:\dir "q""# && negotiated["team"] == "a"
                && negotiated["instance"] == "127.0.0.1:\(port)", "\(negotiated)")
        // honor_labels false: the target's job and instance win, the endpoint's are exported_…
        let exported = try #require(try Self.vector(http, #"jobs_total{job="apps"}"#).first)
        #expect(exported.key["exported_job"] == "inner" && exported.key["exported_instance"] == "x" && exported.value == 5, "\(exported)")
        // honor_labels true: the endpoint's own job and instance stay.
        try await AgentSetup.eventually("the honoring input's series") { try Self.value(http, #"jobs_total{job="inner",instance="x"}"#) == 5 }
        #expect(try Self.vector(http, #"jobs_total{exported_job="inner"}"#).count == 1)
        try await AgentSetup.eventually("a rate of 0 over the flat counter") { try Self.value(http, #"rate(jobs_total{job="apps"}[10s])"#) == 0 }

        // A series the target stops exposing ends at once (a stale marker),
        // though it was stored.
        try await AgentSetup.eventually("gone stored, then stale, and kept still there") {
            try Self.value(http, #"count_over_time(gone{job="shrinking"}[5m])"#) ?? 0 >= 1
                && Self.vector(http, #"gone{job="shrinking"}"#).isEmpty && Self.value(http, #"kept{job="shrinking"}"#) == 1
        }

        // Over the sample limit: the scrape fails, up = 0, reason in the log and /metrics.
        try await AgentSetup.eventually("up 0 for the limited target") { try Self.value(http, #"up{job="limited"}"#) == 0 }
        #expect(try Self.vector(http, #"many{job="limited"}"#).isEmpty, "nothing of a failed scrape is stored")
        #expect(agent.output.contains { $0.contains("input limited: scrape failed (up = 0)") && $0.contains("more than 100 samples (sample_limit)") })
        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(page, #"tributary_agent_scrapes_total{result="sample_limit"}"#) ?? 0 > 0, "\(page)")
        #expect(AgentSetup.metric(page, #"tributary_agent_scrapes_total{result="ok"}"#) ?? 0 > 0)
        // Too slow, too large: the scrape fails for that reason.
        try await AgentSetup.eventually("the slow and the large target down") {
            try Self.value(http, #"up{job="slow"}"#) == 0 && Self.value(http, #"up{job="large"}"#) == 0
        }
        let reasons = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(reasons, #"tributary_agent_scrapes_total{result="timeout"}"#) ?? 0 > 0, "\(reasons)")
        #expect(AgentSetup.metric(reasons, #"tributary_agent_scrapes_total{result="body_size_limit"}"#) ?? 0 > 0)
        #expect(agent.output.contains { $0.contains("input large: scrape failed (up = 0)") && $0.contains("more than 1024 bytes (body_size_limit)") })

        // The target leaves the file: its series and its up go stale; the
        // other inputs' series of the same endpoint stay.
        try "[]".write(to: file, atomically: true, encoding: .utf8)
        try await AgentSetup.eventually("the removed target's series gone") {
            try Self.vector(http, #"negotiated{job="apps"}"#).isEmpty && Self.vector(http, #"up{job="apps"}"#).isEmpty
        }
        #expect(try Self.value(http, #"up{job="honoring"}"#) == 1)
        // A broken edit keeps the last good targets and says why.
        try #"[{"targets": ["127.0.0.1:\#(port)"]}]"#.write(to: file, atomically: true, encoding: .utf8)
        try await AgentSetup.eventually("the target back") { try Self.value(http, #"up{job="apps"}"#) == 1 }
        try #"[{"targets": "not a list"}]"#.write(to: file, atomically: true, encoding: .utf8)
        try await AgentSetup.eventually("the bad file reported") {
            agent.output.contains { $0.contains("apps.json") && $0.contains("targets must be a list") && $0.contains("keeping its previous targets") }
        }
        try await Task.sleep(for: .seconds(1.5))
        #expect(try Self.value(http, #"up{job="apps"}"#) == 1)
    }
}
}
