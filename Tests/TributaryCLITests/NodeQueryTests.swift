import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Queries against a real node process: data sent over TLS with our codec,
/// read back over HTTP and with `trib query`.
@Suite struct NodeQueryTests {
    static let second: Int64 = 1_000_000_000
    static let now = Int64(Date().timeIntervalSince1970) * second

    static func hello(agent: String = "agent-q") -> Frame {
        .hello(Hello(agentID: agent, token: Array("token-for-acme".utf8), capabilities: .deflate, software: TributaryVersion.software, host: "test"))
    }

    static func log(_ seconds: Int64, _ labels: [String: String], _ message: String, _ severity: Severity = .info) throws -> Record {
        .log(LogRecord(timestamp: now + seconds * second, severity: severity, labels: try Labels(labels), message: message))
    }

    /// Lines of two apps on three hosts, two counters over ten minutes and a deploy event.
    static func sample() throws -> [Record] {
        var records = [
            try log(-300, ["app": "nginx", "host": "web-1"], "GET /a 200 0.003"),
            try log(-240, ["app": "nginx", "host": "web-1"], "GET /b 504 upstream timeout", .error),
            try log(-200, ["app": "nginx", "host": "web-1"], "GET /healthz 504 upstream timeout", .warning),
            try log(-180, ["app": "nginx", "host": "web-1"], "POST /c 500 internal error", .error),
            try log(-120, ["app": "nginx", "host": "db-1"], "GET /d 504 upstream timeout", .error),
            try log(-60, ["app": "api", "host": "web-2"], "request timeout after 30s", .warning),
            .event(ChangeEvent(type: "deploy", labels: try Labels(["app": "api"]), timestamp: now - 100 * second, message: "v1.4.2")),
        ]
        for step in 0...60 {
            let time = now - 600 * second + Int64(step) * 10 * second
            for (host, perSecond) in [("web-1", 1.0), ("web-2", 0.5)] {
                records.append(.metric(MetricSample(name: "http_requests_total", labels: try Labels(["host": host]), timestamp: time,
                                                    value: Double(step) * 10 * perSecond, kind: .counter)))
            }
        }
        return records
    }

    /// Sends `records` in batches of `size`, at most 8 in flight (within
    /// the node's window), and waits for every ACK.
    static func send(_ records: [Record], port: Int, caFile: String, agent: String = "agent-q", firstSequence: UInt64 = 1, size: Int = 50) async throws {
        let client = try await WireTestClient.connect(port: port, caFile: caFile)
        try await client.send(hello(agent: agent))
        var sequences: [UInt64] = []
        var batches: [UInt64: Frame] = [:]
        var nacksHandled = 0
        for (offset, start) in stride(from: 0, to: records.count, by: size).enumerated() {
            let sequence = firstSequence + UInt64(offset)
            let batch = try BatchEncoder().encode(Array(records[start..<min(records.count, start + size)]), agentID: agent, sequence: sequence)
            batches[sequence] = .batch(batch)
            try await client.send(.batch(batch))
            sequences.append(sequence)
            if sequences.count % 8 == 0 {
                try await settle(client, sequences, batches, nacksHandled: &nacksHandled)
            }
        }
        try await settle(client, sequences, batches, nacksHandled: &nacksHandled)
        await client.close()
    }

    /// Waits until every batch sent is acknowledged, sending again those a
    /// node answered with a retryable NACK (as an agent does: a cluster just
    /// started may lack its write quorum for a moment).
    private static func settle(_ client: WireTestClient, _ sequences: [UInt64], _ batches: [UInt64: Frame],
                               nacksHandled: inout Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let acknowledged = client.acknowledged(among: sequences)
            if acknowledged.count == sequences.count { return }
            let nacks = client.frames.compactMap { frame -> Nack? in
                if case .nack(let nack) = frame { return nack } else { return nil }
            }
            let fresh = nacks.dropFirst(nacksHandled)
            nacksHandled = nacks.count
            let again = fresh.filter { $0.disposition == .retry && !acknowledged.contains($0.sequence) }
            if !again.isEmpty {
                try await Task.sleep(for: .milliseconds(300))
                for nack in again { if let batch = batches[nack.sequence] { try await client.send(batch) } }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await client.wait("ACKs", timeout: .seconds(1)) { _ in client.acknowledged(among: sequences).count == sequences.count }
    }

    @Test func logQueriesFilterLimitAndOrderAsAsked() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await Self.send(try Self.sample(), port: port, caFile: setup.pki.caFile)

        let filtered = try NodeHTTP.query(port: http, #"{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d""#)
        #expect(filtered.status == 200, "\(filtered.body)")
        #expect(filtered.messages == ["GET /b 504 upstream timeout"])
        let line = try #require(filtered.lines.first)
        #expect(line["severity"] as? String == "error")
        #expect(line["labels"] as? [String: String] == ["app": "nginx", "host": "web-1"])
        #expect(line["ns"] as? String == String(Self.now - 240 * Self.second))

        let newest = try NodeHTTP.query(port: http, #"{app="nginx"}"#, ["limit": "2"])
        #expect(newest.messages == ["GET /d 504 upstream timeout", "POST /c 500 internal error"])
        let oldest = try NodeHTTP.query(port: http, #"{app="nginx"}"#, ["limit": "2", "direction": "forward"])
        #expect(oldest.messages == ["GET /a 200 0.003", "GET /b 504 upstream timeout"])
        // "250s" ago as the node reads it, relative to its clock: add the time this test has run since `now`.
        let elapsed = (Int64(Date().timeIntervalSince1970 * 1e9) - Self.now + Self.second - 1) / Self.second
        let window = try NodeHTTP.query(port: http, #"{host="web-1"}"#, ["start": "\(250 + elapsed)s", "end": String(Double(Self.now - 190 * Self.second) / 1e9)])
        #expect(window.messages == ["GET /healthz 504 upstream timeout", "GET /b 504 upstream timeout"])
        let events = try NodeHTTP.query(port: http, #"{app="api"}"#)
        #expect(events.messages == ["request timeout after 30s", "v1.4.2"])
        #expect(events.lines.last?["event"] as? String == "deploy")
    }

    @Test func metricQueriesComputeRatesByLabel() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await Self.send(try Self.sample(), port: port, caFile: setup.pki.caFile)

        let end = String(Self.now / Self.second)
        let start = String(Self.now / Self.second - 240)
        let rates = try NodeHTTP.query(port: http, "sum by (host) (rate(http_requests_total[1m]))", ["start": start, "end": end, "step": "60s"])
        #expect(rates.status == 200, "\(rates.body)")
        #expect(rates.series.count == 2)
        for series in rates.series {
            let host = (series["metric"] as? [String: String])?["host"]
            let values = ((series["values"] as? [[Any]]) ?? []).compactMap { ($0[1] as? String).flatMap(Double.init) }
            #expect(values.count == 5, "one point per step over 4 minutes")
            #expect(values.allSatisfy { abs($0 - (host == "web-1" ? 1.0 : 0.5)) < 1e-9 }, "\(host ?? "?"): \(values)")
        }
        let total = try NodeHTTP.query(port: http, "sum(http_requests_total)", ["start": end, "end": end, "step": "1s"])
        let last = ((total.series.first?["values"] as? [[Any]])?.last?[1] as? String).flatMap(Double.init)
        #expect(last == 900, "600 + 300 at the last sample")
    }

    @Test func badQueriesAndBadTokensAreRefusedWithTheReason() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }

        let malformed = try NodeHTTP.query(port: http, #"{app="nginx" |= "x""#)
        #expect(malformed.status == 400)
        #expect(malformed.json["position"] as? Int == 13, "\(malformed.body)")
        #expect((malformed.json["error"] as? String)?.contains("expected") == true)

        let badTime = try NodeHTTP.query(port: http, #"{app="nginx"}"#, ["start": "yesterday"])
        #expect(badTime.status == 400)
        #expect((badTime.json["error"] as? String)?.hasPrefix("parameter start: expected a time") == true, "\(badTime.body)")

        let anonymous = try NodeHTTP.query(port: http, #"{app="nginx"}"#, token: nil)
        #expect(anonymous.status == 401)
        let stranger = try NodeHTTP.query(port: http, #"{app="nginx"}"#, token: "not-a-token-of-ours")
        #expect(stranger.status == 401)
        #expect((stranger.json["error"] as? String)?.contains("not one of this node's tokens") == true, "\(stranger.body)")
    }

    @Test func tribQueryPrintsAlignedLinesOrJSON() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await Self.send(try Self.sample(), port: port, caFile: setup.pki.caFile)
        let base = ["query", "--node", "https://127.0.0.1:\(http)", "--ca", setup.pki.caFile, "--token", "token-for-acme"]

        let text = try ProcessResult.run(RepositoryPaths.tribExecutable, base + [#"{app="nginx"} |= "upstream""#, "--forward"])
        #expect(text.status == 0, "\(text.stderr)")
        let rows = text.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 3)
        #expect(rows[0].hasSuffix("app=nginx,host=web-1  GET /b 504 upstream timeout"), "\(rows)")
        #expect(rows[0].contains("  error    "), "severity padded to the widest (warning): \(rows[0])")
        #expect(rows[2].contains("app=nginx,host=db-1   GET /d"), "labels padded: \(rows[2])")

        let coloured = try ProcessResult.run(RepositoryPaths.tribExecutable, base + [#"{app="nginx"} |= "upstream""#, "--color", "always"])
        #expect(coloured.stdout.contains("\u{1B}[31merror  \u{1B}[0m"))

        let json = try ProcessResult.run(RepositoryPaths.tribExecutable, base + [#"{app="api"}"#, "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["data"] as? [String: Any])?["resultType"] as? String == "lines")

        let metrics = try ProcessResult.run(RepositoryPaths.tribExecutable, base + ["max by (host) (http_requests_total)", "--since", "1m", "--step", "1m"])
        #expect(metrics.stdout.contains(#"{host="web-1"}"#) && metrics.stdout.contains("  600\n"), "\(metrics.stdout)")

        let broken = try ProcessResult.run(RepositoryPaths.tribExecutable, base + ["rate(x[5q])"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("rate(x[5q])\n"), "\(broken.stderr)")
        #expect(broken.stderr.contains("^"))
    }

    @Test func metricsAndHealthEndpointsReportIngest() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await Self.send(try Self.sample(), port: port, caFile: setup.pki.caFile)
        // One batch with a record from 30 days ago: refused permanently.
        let client = try await WireTestClient.connect(port: port, caFile: setup.pki.caFile)
        try await client.send(Self.hello(agent: "agent-old"))
        try await client.send(.batch(try BatchEncoder().encode([try Self.log(-30 * 86_400, ["app": "old"], "ancient")], agentID: "agent-old", sequence: 1)))
        try await client.wait("NACK") { frames in frames.contains { if case .nack = $0 { return true } else { return false } } }
        await client.close()

        let page = try NodeHTTP.get(port: http, "/metrics")
        #expect(page.status == 200)
        let records = try Self.sample().count
        #expect(page.body.contains("tributary_ingest_records_total \(records)\n"), "\(page.body)")
        #expect(page.body.contains("tributary_ingest_rejected_batches_total{reason=\"TOO_OLD\"} 1\n"))
        #expect(page.body.contains("tributary_wal_fsync_seconds_bucket{le=\"+Inf\"}"))
        #expect(page.body.contains("# TYPE tributary_partitions gauge"))
        #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).body == "ok\n")
        #expect(try NodeHTTP.get(port: http, "/readyz", token: nil).status == 200)
    }
}
