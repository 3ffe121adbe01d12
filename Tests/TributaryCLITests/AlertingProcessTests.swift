import Foundation
import Testing
import TributaryFreePort
import TributaryModel
import TributaryTestSupport

/// Rules evaluated by real `trib node` processes over data sent through
/// the wire protocol, notifying a real Alertmanager and webhooks the tests
/// run on loopback.
@Suite(.serialized) struct AlertingProcessTests {
    static let rules = """
        groups:
          - name: memory
            interval: 1s
            rules:
              - record: app:memory_bytes:max
                expr: max by (app) (memory_bytes)
              - alert: MemoryHigh
                expr: app:memory_bytes:max > 100
                for: FOR
                labels: {severity: page}
                annotations:
                  summary: "{{ $labels.app }} uses {{ $value | humanize }}B"
        """

    static func memory(_ value: Double) throws -> Record {
        .metric(MetricSample(name: "memory_bytes", labels: try Labels(["app": "checkout", "host": "web-1"]),
                             timestamp: Int64(Date().timeIntervalSince1970 * 1e9), value: value, kind: .gauge))
    }

    static func alerts(_ http: Int, resolved: Bool = false) throws -> [[String: Any]] {
        let answer = try NodeHTTP.get(port: http, "/api/v1/alerts" + (resolved ? "?resolved=true" : ""))
        return (answer.json["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
    }

    static func state(_ alerts: [[String: Any]]) -> [String] { alerts.compactMap { $0["state"] as? String } }

    static func status(_ request: WebhookReceiver.Request) -> String? { request.json?["status"] as? String }

    @Test func alertmanagerReceivesFiringThenResolvedFromANode() async throws {
        let hook = try WebhookReceiver()
        let alertmanager = try await AlertmanagerPeer(webhook: "http://127.0.0.1:\(hook.port)/am")
        defer { alertmanager.stop() }
        let setup = try NodeSetup(extra: """
            rules: [rules.yaml]
            alerting:
              resend_delay: 2s
              max_backoff: 1s
              external_labels: {cluster: test}
              alertmanagers: [http://127.0.0.1:\(alertmanager.port)]
            """)
        try Self.rules.replacingOccurrences(of: "FOR", with: "2s").write(toFile: setup.directory.appendingPathComponent("rules.yaml").path,
                                                                           atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }

        try await NodeQueryTests.send([try Self.memory(500)], port: port, caFile: setup.pki.caFile, agent: "alert-test")
        try await hook.wait("a firing notification from Alertmanager") { $0.contains { Self.status($0) == "firing" } }
        let firing = try #require(hook.requests.first { Self.status($0) == "firing" }?.json)
        let alert = try #require((firing["alerts"] as? [[String: Any]])?.first)
        #expect(alert["labels"] as? [String: String] == ["alertname": "MemoryHigh", "app": "checkout", "severity": "page", "cluster": "test"])
        #expect((alert["annotations"] as? [String: String])?["summary"] == "checkout uses 500B")
        #expect((alert["generatorURL"] as? String)?.contains("/graph?g0.expr=") == true)
        let listed = try Self.alerts(http)
        #expect(Self.state(listed) == ["firing"])
        #expect(listed.first?["activeAt"] as? String != nil)
        // The recording rule's series is stored and queryable like any other.
        let recorded = try NodeHTTP.get(port: http, "/api/v1/query?query=app:memory_bytes:max")
        #expect(recorded.body.contains("\"app\":\"checkout\""), "\(recorded.body)")

        try await NodeQueryTests.send([try Self.memory(1)], port: port, caFile: setup.pki.caFile, agent: "alert-test", firstSequence: 2)
        try await hook.wait("a resolved notification from Alertmanager") { $0.contains { Self.status($0) == "resolved" } }
        let resolved = try #require(hook.requests.first { Self.status($0) == "resolved" }?.json)
        #expect(((resolved["alerts"] as? [[String: Any]])?.first?["labels"] as? [String: String])?["alertname"] == "MemoryHigh")
        #expect(try Self.alerts(http).isEmpty)
        #expect(Self.state(try Self.alerts(http, resolved: true)) == ["inactive"])
        let rules = try NodeHTTP.get(port: http, "/api/v1/rules").json
        let group = try #require(((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first)
        #expect((group["rules"] as? [[String: Any]])?.compactMap { $0["health"] as? String } == ["ok", "ok"])
        #expect(hook.requests.filter { Self.status($0) == "firing" }.count == 1)
        let metrics = try NodeHTTP.get(port: http, "/metrics").body
        #expect(metrics.contains("tributary_rule_groups{scope=\"evaluated_here\"} 1"), "\(metrics)")
        #expect(metrics.contains("kind=\"alertmanager\",receiver=\"http://127.0.0.1:\(alertmanager.port)\",outcome=\"sent\"}"), "\(metrics)")
    }

    @Test func webhookDownForAWhileGetsEveryNotificationOnceBackEvenAcrossARestart() async throws {
        let hookPort = try FreePort.find()
        let setup = try NodeSetup(extra: """
            rules: [rules.yaml]
            alerting:
              max_backoff: 1s
              webhooks: [http://127.0.0.1:\(hookPort)/hook]
            """)
        try Self.rules.replacingOccurrences(of: "FOR", with: "0s").write(toFile: setup.directory.appendingPathComponent("rules.yaml").path,
                                                                           atomically: true, encoding: .utf8)
        var (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send([try Self.memory(500)], port: port, caFile: setup.pki.caFile, agent: "hook-test")
        try await waitFor("the alert to fire") { Self.state(try Self.alerts(http)) == ["firing"] }
        try await NodeQueryTests.send([try Self.memory(1)], port: port, caFile: setup.pki.caFile, agent: "hook-test", firstSequence: 2)
        try await waitFor("the alert to resolve") { Self.state(try Self.alerts(http, resolved: true)) == ["inactive"] }

        // Restart while the receiver is still down: the outbox is on disk.
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 30) == 0)
        (node, port, http) = try await setup.startWithHTTP()
        let hook = try WebhookReceiver(port: hookPort)
        try await hook.wait("both notifications") { $0.count >= 2 }
        try await Task.sleep(for: .seconds(3))
        let received = hook.requests
        #expect(received.map(Self.status) == ["firing", "resolved"], "\(received.map { String(decoding: $0.body, as: UTF8.self) })")
        #expect(received.allSatisfy { $0.path == "/hook" && $0.json?["version"] as? String == "4" })
    }

    @Test func logQLRuleOverIngestedLinesFiresWithItsCount() async throws {
        let setup = try NodeSetup(extra: "rules: [rules.yaml]")
        try """
            groups:
              - name: logs
                interval: 1s
                rules:
                  - alert: CheckoutTimeouts
                    expr: sum by (app) (count_over_time({app="checkout"} |= "timeout" [5m])) > 2
                    annotations:
                      summary: "{{ $labels.app }}: {{ $value }} timeouts in 5m"
            """.write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var lines: [Record] = []
        for (offset, message) in ["GET / 200", "upstream timeout", "GET /cart 200", "db timeout after 3s", "read timeout", "timeout again"].enumerated() {
            lines.append(.log(LogRecord(timestamp: now - Int64(60 - offset) * 1_000_000_000, labels: try Labels(["app": "checkout"]), message: message)))
        }
        lines.append(.log(LogRecord(timestamp: now - 10_000_000_000, labels: try Labels(["app": "search"]), message: "timeout")))
        try await NodeQueryTests.send(lines, port: port, caFile: setup.pki.caFile, agent: "logql-rules")
        try await waitFor("the LogQL alert to fire") { Self.state(try Self.alerts(http)) == ["firing"] }
        let alert = try #require(try Self.alerts(http).first)
        #expect(alert["labels"] as? [String: String] == ["alertname": "CheckoutTimeouts", "app": "checkout"])
        #expect(alert["value"] as? String == "4")
        #expect((alert["annotations"] as? [String: String])?["summary"] == "checkout: 4 timeouts in 5m")

        let connection = ["--node", "https://127.0.0.1:\(http)", "--ca", setup.pki.caFile, "--token", "token-for-acme"]
        let table = try ProcessResult.run(RepositoryPaths.tribExecutable, ["alerts"] + connection)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("CheckoutTimeouts") && table.stdout.contains("firing") && table.stdout.contains("checkout: 4 timeouts in 5m"),
                "\(table.stdout)")
        let rules = try ProcessResult.run(RepositoryPaths.tribExecutable, ["alerts", "--rules"] + connection)
        #expect(rules.stdout.contains("logs") && rules.stdout.contains("alerting") && rules.stdout.contains(" ok "), "\(rules.stdout)")
        let json = try ProcessResult.run(RepositoryPaths.tribExecutable, ["alerts", "--json"] + connection)
        #expect(json.stdout.contains("\"status\":\"success\""), "\(json.stdout)")
    }

    @Test func aWebhookThatRefusesWithFourHundredIsNotRetriedAndOthersStillGetTheirs() async throws {
        let refusing = try WebhookReceiver(status: 400)
        let taking = try WebhookReceiver()
        let setup = try NodeSetup(extra: """
            rules: [rules.yaml]
            alerting:
              max_backoff: 1s
              webhooks: [http://127.0.0.1:\(refusing.port)/no, http://127.0.0.1:\(taking.port)/yes]
            """)
        try Self.rules.replacingOccurrences(of: "FOR", with: "0s").write(toFile: setup.directory.appendingPathComponent("rules.yaml").path,
                                                                           atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send([try Self.memory(500)], port: port, caFile: setup.pki.caFile, agent: "refusal-test")
        try await taking.wait("the firing notification") { $0.contains { Self.status($0) == "firing" } }
        try await refusing.wait("the refused notification") { !$0.isEmpty }
        _ = try await node.waitForLine { $0.contains("refused a notification with 400") && $0.contains("bad payload") }
        try await Task.sleep(for: .seconds(3))
        #expect(refusing.requests.count == 1, "a 400 is not retried")
        let metrics = try NodeHTTP.get(port: http, "/metrics").body
        #expect(metrics.contains("receiver=\"http://127.0.0.1:\(refusing.port)/no\",outcome=\"rejected\"} 1"), "\(metrics)")
        #expect(metrics.contains("receiver=\"http://127.0.0.1:\(refusing.port)/no\"} 0"), "the outbox is empty again: \(metrics)")
    }

    @Test func alertmanagerOverHTTPSAndAWebhookWithABearerToken() async throws {
        let hook = try WebhookReceiver()
        let direct = try WebhookReceiver()
        let setup = try NodeSetup(extra: """
            rules: [rules.yaml]
            alerting:
              max_backoff: 1s
              alertmanagers: [{url: "https://127.0.0.1:AMPORT", ca: ca.pem, timeout: 5s}]
              webhooks: [{url: "http://127.0.0.1:\(direct.port)/hook", bearer_token: "s3cret-token"}]
            """)
        try setup.pki.issue("alertmanager")
        let pem = setup.directory.appendingPathComponent("alertmanager.pem").path
        let key = setup.directory.appendingPathComponent("alertmanager.key").path
        let alertmanager = try await AlertmanagerPeer(webhook: "http://127.0.0.1:\(hook.port)/am", tls: (pem, key, setup.pki.caFile))
        defer { alertmanager.stop() }
        let yaml = try String(contentsOfFile: setup.configFile, encoding: .utf8).replacingOccurrences(of: "AMPORT", with: "\(alertmanager.port)")
        try yaml.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        try Self.rules.replacingOccurrences(of: "FOR", with: "0s").write(toFile: setup.directory.appendingPathComponent("rules.yaml").path,
                                                                           atomically: true, encoding: .utf8)
        let (node, port, _) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send([try Self.memory(500)], port: port, caFile: setup.pki.caFile, agent: "https-test")
        try await hook.wait("the firing notification through Alertmanager over HTTPS") { $0.contains { Self.status($0) == "firing" } }
        try await direct.wait("the direct webhook") { !$0.isEmpty }
        #expect(direct.requests.first?.headers["authorization"] == "Bearer s3cret-token")
        #expect(direct.requests.first?.headers["content-type"] == "application/json")
    }

    /// Polls `condition` every 200 ms for up to `timeout` seconds.
    func waitFor(_ what: String, timeout: Double = 60, _ condition: () throws -> Bool) async throws {
        let deadline = Date() + timeout
        while (try? condition()) != true {
            guard Date() < deadline else { throw WebhookReceiverTimeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
