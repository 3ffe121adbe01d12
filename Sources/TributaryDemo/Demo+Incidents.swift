import Foundation
import TributaryAPI
import TributaryAgent
import TributaryHTTPClient
import TributaryTLS

extension Demo {
    /// Plays the incident scenario on the standalone node: three hours of
    /// history sent at once through the wire protocol (the deploy and the
    /// logs first, then the memory gauge), then waits for the incident and
    /// prints the `trib incidents` command that shows it.
    static func playIncidentScenario(_ layout: DemoLayout, say: @Sendable (String) -> Void) async {
        let node = layout.incidentNode
        var tls = TLSConfiguration()
        tls.trustedCAFile = layout.caFile
        let scenario = IncidentScenario(now: Int64(Date().timeIntervalSince1970 * 1e9))
        var problem: String?
        do {
            let records = try scenario.changesAndLogs() + scenario.memory()
            for start in stride(from: 0, to: records.count, by: 1_000) {
                try await EventSender.send(records: Array(records[start..<min(start + 1_000, records.count)]),
                                           to: NodeAddress(host: "127.0.0.1", port: node.agentPort), token: layout.token, tls: tls,
                                           serverName: "localhost")
            }
        } catch {
            problem = "the scenario's data was not accepted: \(error)"
        }
        let explanation = problem == nil ? await waitForIncident(port: node.httpPort, token: layout.token, caFile: layout.caFile) : nil
        let connection = "--node https://127.0.0.1:\(node.httpPort) --ca \(layout.caFile) --token \(layout.token)"
        say("")
        say("Incident scenario on node-inc, a standalone node with an anomaly rule on checkout's memory (rules/checkout.yaml), 3 h backfilled:")
        say("  steady memory, the deploy `\(IncidentScenario.deployMessage)` 20 minutes ago, memory climbing since, and a new log line `cache size=<n> entries` growing")
        say("  trib incidents \(connection)")
        say("      # \(explanation ?? problem ?? "no incident yet")")
        say("  trib alerts \(connection)")
    }

    /// Polls `/api/v1/incidents` (up to 30 s) for the first incident's explanation.
    static func waitForIncident(port: Int, token: String, caFile: String) async -> String? {
        var configuration = TLSConfiguration()
        configuration.trustedCAFile = caFile
        guard let context = try? TLSContext(configuration: configuration, role: .client) else { return nil }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var body: [UInt8] = []
            if (try? HTTPGetClient.get(host: "127.0.0.1", port: port, path: "/api/v1/incidents", headers: ["Authorization": "Bearer \(token)"],
                                       tls: HTTPGetClient.TLS(context: context), status: { _ in }, body: { body += $0 })) != nil,
               let answer = try? JSONDecoder().decode(IncidentsResponse.self, from: Data(body)), let first = answer.data.incidents.first {
                return first.explanation.joined(separator: "; ")
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }
}
