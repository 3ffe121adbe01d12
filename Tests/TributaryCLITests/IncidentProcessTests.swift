import Foundation
import Testing
import TributaryDemo
import TributaryModel
import TributaryTestSupport

/// The incident scenario end to end: a real `trib node` with an
/// anomaly rule on checkout's memory, backfilled history sent through the
/// wire protocol (steady memory, a deploy event, then linear growth and a
/// new growing log line among steady ones), a real Alertmanager routing to
/// a webhook the test runs.
@Suite(.serialized) struct IncidentProcessTests {
    static func incidents(_ http: Int) throws -> [[String: Any]] {
        let answer = try NodeHTTP.get(port: http, "/api/v1/incidents")
        return (answer.json["data"] as? [String: Any])?["incidents"] as? [[String: Any]] ?? []
    }

    @Test func aDeployThenGrowingMemoryAndANewLogLineRaiseOneIncidentDeliveredToAlertmanager() async throws {
        let hook = try WebhookReceiver()
        let alertmanager = try await AlertmanagerPeer(webhook: "http://127.0.0.1:\(hook.port)/am")
        defer { alertmanager.stop() }
        let setup = try NodeSetup(extra: """
            rules: [rules.yaml]
            alerting:
              resend_delay: 2s
              max_backoff: 1s
              alertmanagers: [http://127.0.0.1:\(alertmanager.port)]
            """)
        try IncidentScenario.rules(interval: "1s").write(toFile: setup.directory.appendingPathComponent("rules.yaml").path,
                                                         atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }

        let scenario = IncidentScenario(now: Int64(Date().timeIntervalSince1970 * 1e9))
        // Changes and logs first: the incident is gathered when the alert fires.
        let changes = try scenario.changesAndLogs()
        try await NodeQueryTests.send(changes, port: port, caFile: setup.pki.caFile, agent: "incident-test", size: 200)
        let batches = UInt64((changes.count + 199) / 200)
        try await NodeQueryTests.send(try scenario.memory(), port: port, caFile: setup.pki.caFile, agent: "incident-test",
                                      firstSequence: batches + 1, size: 200)

        try await hook.wait("the alert from Alertmanager") { $0.contains { $0.json?["status"] as? String == "firing" } }
        let message = try #require(hook.requests.first { $0.json?["status"] as? String == "firing" }?.json)
        let alert = try #require((message["alerts"] as? [[String: Any]])?.first)
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["alertname"] == "CheckoutMemoryAnomaly" && labels["service"] == "checkout" && labels["host"] == "web-1", "\(labels)")
        let annotations = try #require(alert["annotations"] as? [String: String])
        let explanation = try #require(annotations["explanation"], "\(annotations)")
        let incidentID = try #require(annotations["incident_id"], "\(annotations)")
        #expect(explanation.contains("`\(IncidentScenario.memoryName)` of checkout is rising abnormally"), "\(explanation)")
        #expect(explanation.contains("the deploy `\(IncidentScenario.deployMessage)` went out"), "\(explanation)")
        #expect(explanation.contains("the log pattern `\(IncidentScenario.newPattern)` is new since"), "\(explanation)")
        #expect(explanation.contains("and growing"), "\(explanation)")
        #expect(!explanation.contains("search"), "another service's deploy must stay out: \(explanation)")

        // Alertmanager holds the same annotations (GET /api/v2/alerts).
        let held = try alertmanager.alerts().first { ($0["labels"] as? [String: String])?["alertname"] == "CheckoutMemoryAnomaly" }
        #expect((held?["annotations"] as? [String: String])?["incident_id"] == incidentID)

        // A few more evaluations: still one incident, the same one.
        try await Task.sleep(for: .seconds(3))
        let incidents = try Self.incidents(http)
        #expect(incidents.count == 1, "\(incidents)")
        let incident = try #require(incidents.first)
        #expect(incident["id"] as? String == incidentID)
        #expect(incident["trigger"] as? String == "CheckoutMemoryAnomaly")
        let lines = incident["explanation"] as? [String] ?? []
        #expect(lines.first?.contains(IncidentScenario.memoryName) == true, "\(lines)")
        #expect(lines.contains { $0.contains(IncidentScenario.deployMessage) }, "\(lines)")
        #expect(lines.contains { $0.contains(IncidentScenario.newPattern) }, "\(lines)")

        // The rule stores its band as series, for charts.
        let band = try NodeHTTP.get(port: http, "/api/v1/query?query=\(IncidentScenario.memoryName):upper")
        #expect(band.body.contains("\"service\":\"checkout\""), "\(band.body)")

        let connection = ["--node", "https://127.0.0.1:\(http)", "--ca", setup.pki.caFile, "--token", "token-for-acme"]
        let printed = try ProcessResult.run(RepositoryPaths.tribExecutable, ["incidents"] + connection)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains(incidentID) && printed.stdout.contains(IncidentScenario.deployMessage)
                && printed.stdout.contains("service=checkout"), "\(printed.stdout)")
        #expect(hook.requests.filter { $0.json?["status"] as? String == "firing" }.count == 1)
    }

    @Test func aPatternsRuleAlertsOnTheNewLogLineAndJoinsTheMemoryIncident() async throws {
        let setup = try NodeSetup(extra: "rules: [rules.yaml]")
        try (IncidentScenario.rules(interval: "1s") + """
                  - alert: CheckoutNewLogPatterns
                    patterns: '{service="checkout"}'
                    detect: [new]

            """).write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let scenario = IncidentScenario(now: Int64(Date().timeIntervalSince1970 * 1e9))
        let changes = try scenario.changesAndLogs()
        try await NodeQueryTests.send(changes, port: port, caFile: setup.pki.caFile, agent: "pattern-rule-test", size: 200)
        try await AlertingProcessTests().waitFor("the pattern alert") { try AlertingProcessTests.alerts(http).count == 1 }
        let alert = try #require(try AlertingProcessTests.alerts(http).first)
        let labels = alert["labels"] as? [String: String] ?? [:]
        #expect(labels["alertname"] == "CheckoutNewLogPatterns" && labels["pattern"] == IncidentScenario.newPattern
                && labels["change"] == "new" && labels["service"] == "checkout", "\(labels)")
        #expect(try Self.incidents(http).count == 1)

        // Then memory: its alert joins the open incident of checkout.
        try await NodeQueryTests.send(try scenario.memory(), port: port, caFile: setup.pki.caFile, agent: "pattern-rule-test",
                                      firstSequence: UInt64((changes.count + 199) / 200) + 1, size: 200)
        try await AlertingProcessTests().waitFor("both alerts") { try AlertingProcessTests.alerts(http).count == 2 }
        let incidents = try Self.incidents(http)
        #expect(incidents.count == 1, "\(incidents)")
        let ids = Set(try AlertingProcessTests.alerts(http).compactMap { ($0["annotations"] as? [String: String])?["incident_id"] })
        #expect(ids == [incidents.first?["id"] as? String], "\(ids)")
    }

    @Test func aTrendRuleFiresWithTheSecondsLeftBeforeTheThreshold() async throws {
        let setup = try NodeSetup(extra: "rules: [rules.yaml]")
        try """
            groups:
              - name: disks
                interval: 1s
                rules:
                  - alert: RootDiskFillsUp
                    trend: node_filesystem_avail_bytes{mountpoint="/"}
                    threshold: 0
                    within: 1h
                    window: 30m
                    annotations:
                      summary: "{{ $labels.host }} is full in {{ $value | humanizeDuration }}"
            """.write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        // web-1 loses 1 GB a minute and has 20 GB left; web-2 is steady.
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var records: [Record] = []
        for minute in 0...40 {
            let time = now - Int64(40 - minute) * 60_000_000_000
            for (host, value) in [("web-1", 60e9 - Double(minute) * 1e9), ("web-2", 50e9)] {
                records.append(.metric(MetricSample(name: "node_filesystem_avail_bytes", labels: try Labels(["host": host, "mountpoint": "/"]),
                                                    timestamp: time, value: value, kind: .gauge)))
            }
        }
        try await NodeQueryTests.send(records, port: port, caFile: setup.pki.caFile, agent: "trend-test")
        try await AlertingProcessTests().waitFor("the trend alert") { AlertingProcessTests.state(try AlertingProcessTests.alerts(http)) == ["firing"] }
        let alert = try #require(try AlertingProcessTests.alerts(http).first)
        #expect((alert["labels"] as? [String: String])?["host"] == "web-1")
        // 20 GB at 1 GB a minute: about 20 minutes (the data ends a moment before the evaluation).
        let seconds = Double(alert["value"] as? String ?? "") ?? 0
        #expect(seconds > 17 * 60 && seconds <= 20 * 60, "\(alert)")
    }
}
