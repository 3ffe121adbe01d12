import Foundation
import Logging
import TributaryAPI
import TributaryAgent
import TributaryHTTPClient
import TributaryNode
import TributaryQuery
import TributaryTLS

/// `trib demo`: a three-node cluster (replication factor 2) and an agent on
/// free loopback ports, fed with a tailed application log, syslog from a
/// switch and a firewall, StatsD, host metrics and a deploy event. It
/// prints what runs, checks that its example queries return data, and
/// stops everything cleanly when told to.
public struct Demo: Sendable {
    /// Where the files go; nil: a new temporary directory, removed at the end.
    public var directory: String?

    public init() {}

    /// Runs until `stop` returns. `say` prints a line for the user.
    public func run(say: @escaping @Sendable (String) -> Void, stop: @Sendable () async -> Void) async throws {
        let temporary = directory == nil
        let root = directory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("trib-demo-\(UUID().uuidString.prefix(8))").path
        let layout = try DemoLayout.create(in: root)
        var logger = Logger(label: "tributary.demo")
        logger.logLevel = ProcessInfo.processInfo.environment["TRIB_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        say("trib demo: files in \(root) (configurations, certificates, data)")

        var nodes: [NodeService] = []
        var agent: AgentService?
        let feeding = Task {
            let feeder = DemoFeeder(layout: layout)
            var second = 0
            while !Task.isCancelled {
                feeder.tick(second: second)
                second += 1
                try? await Task.sleep(for: .seconds(1))
            }
        }
        do {
            for node in layout.nodes + [layout.incidentNode] {
                nodes.append(try await NodeService.start(try NodeConfiguration.load(path: node.configFile), logger: logger))
            }
            agent = try await AgentService.start(try AgentConfiguration.load(path: layout.agentConfigFile), logger: logger)
        } catch {
            feeding.cancel()
            for node in nodes.reversed() { await node.stop() }
            throw error
        }
        try? await Task.sleep(for: .seconds(2))
        let event = ChangeEventJSON.encode(type: "deploy", message: "checkout v1.4.2 rolled out",
                                           labels: [("service", "checkout"), ("version", "v1.4.2")], timestamp: nil)
        let posted = try? HTTPGetClient.post(host: "127.0.0.1", port: layout.agentHTTPPort, path: "/api/v1/events", json: [UInt8](event))

        say("")
        say("Running:")
        for node in layout.nodes {
            say("  \(node.id)  agents 127.0.0.1:\(node.agentPort)  HTTPS https://127.0.0.1:\(node.httpPort)  peers 127.0.0.1:\(node.peerPort)  (\(node.configFile))")
        }
        say("  agent   HTTP http://127.0.0.1:\(layout.agentHTTPPort)  syslog udp/tcp 127.0.0.1:\(layout.syslogUDPPort)/\(layout.syslogTCPPort)  statsd udp 127.0.0.1:\(layout.statsdPort)  tailing \(layout.appLog)")
        say("  data: checkout's log (logfmt), syslog from core-sw-1 and fw-edge-1, StatsD checkout.*, host metrics, a deploy event\(posted?.0 == 202 || posted?.0 == 200 ? "" : " (not accepted: \(posted?.1 ?? "no answer"))")")
        let http = layout.nodes[0].httpPort
        let connection = "--node https://127.0.0.1:\(http) --ca \(layout.caFile)"
        say("  tenant token: \(layout.token) (ingest, query)   admin token: \(layout.adminToken)")
        say("  cluster status: trib cluster status \(connection) --token \(layout.adminToken)")
        let examples: [(query: String, flags: String, what: String)] = [
            (#"{app="checkout"} |= "timeout""#, "--since 15m", "checkout's errors (card numbers redacted by the agent)"),
            (#"{host="core-sw-1"} |= "UPDOWN""#, "--since 15m", "interface flaps the switch sent over syslog"),
            (#"{app="checkout"} | logfmt | level="warn" | duration_ms > 1000 | line_format "{{.table}} took {{.duration_ms}} ms""#, "--since 15m",
             "slow queries: parsed, filtered on a number and reformatted (LogQL)"),
            (#"sum by (route) (rate(checkout_requests[1m]))"#, "--since 10m --step 30s", "StatsD request rate per route (PromQL)"),
            (#"sum by (level) (count_over_time({app="checkout"} | logfmt [1m]))"#, "--since 10m --step 1m",
             "checkout's lines per minute by level (a LogQL metric query)"),
            (#"{service="checkout"}"#, "--since 15m", "the deploy event"),
        ]
        say("")
        say("Try (any node answers; these ask node-a):")
        for example in examples {
            let count = await Self.waitForData(example.query, port: http, token: layout.token, caFile: layout.caFile)
            say("  trib query '\(example.query)' \(example.flags) \(connection) --token \(layout.token)")
            say("      # \(example.what): \(count.map { "\($0) now" } ?? "no data yet")")
        }
        await Self.playIncidentScenario(layout, say: say)
        say("")
        say("Web console: https://127.0.0.1:\(http)/  sign in with the token \(layout.adminToken)")
        say("  (the demo's own CA signed the certificate: accept the browser's warning, or trust \(layout.caFile))")
        say("")
        say("trib demo: ready; Ctrl-C stops everything")
        await stop()
        say("trib demo: stopping")
        feeding.cancel()
        await agent?.stop()
        for node in nodes.reversed() { await node.stop() }
        if temporary {
            try? FileManager.default.removeItem(atPath: root)
            say("trib demo: stopped; removed \(root) (--dir keeps the files)")
        } else {
            say("trib demo: stopped; files kept in \(root)")
        }
    }

    /// Polls a query on a node until it returns data (up to 20 s): "N lines"
    /// or "N series", or nil.
    static func waitForData(_ query: String, port: Int, token: String, caFile: String) async -> String? {
        var configuration = TLSConfiguration()
        configuration.trustedCAFile = caFile
        guard let context = try? TLSContext(configuration: configuration, role: .client) else { return nil }
        let now = Int(Date().timeIntervalSince1970)
        let path = HTTPQueryPath.make("/api/v1/query_range", [("query", query), ("start", String(now - 900)), ("end", String(now + 60)),
                                                              ("step", "30s"), ("limit", "1000")])
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            var body: [UInt8] = []
            if (try? HTTPGetClient.get(host: "127.0.0.1", port: port, path: path, headers: ["Authorization": "Bearer \(token)"],
                                       tls: HTTPGetClient.TLS(context: context), status: { _ in }, body: { body += $0 })) != nil,
               let answer = try? JSONDecoder().decode(QueryResponse.self, from: Data(body)), let data = answer.data {
                if let lines = data.lines, !lines.isEmpty { return lines.count == 1 ? "1 line" : "\(lines.count) lines" }
                if let series = data.result, !series.isEmpty { return "\(series.count) series" }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }
}
