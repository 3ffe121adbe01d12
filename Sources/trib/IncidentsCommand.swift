import ArgumentParser
import Foundation
import TributaryAPI
import TributaryHTTPClient

/// `trib incidents`: the incidents a node's alerts raised for the token's
/// tenant, newest first, each with its explanation.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List the incidents alerts raised, each with its ranked explanation (deploys, new log patterns, other anomalies).",
        discussion: """
            Asks GET /api/v1/incidents of a node (docs/incidents.md):
              trib incidents --node https://127.0.0.1:7401 --ca ca.pem --token "$TOKEN"
              trib incidents --json
            In a cluster each node lists the incidents of the rule groups it evaluates.
            """
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let endpoint = try connection.endpoint(purpose: "a token with the query role; it chooses the tenant")
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: "/api/v1/incidents", headers: endpoint.headers, tls: endpoint.tls,
                              status: { status = $0 }) { piece in
            body += piece
            guard body.count < 64 << 20 else { throw QueryFailed(message: "the answer is larger than 64 MiB") }
        }
        guard status == 200 else { throw QueryFailed(message: "the node answered \(status): \(String(decoding: body, as: UTF8.self))") }
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let answer = try JSONDecoder().decode(IncidentsResponse.self, from: Data(body))
        FileHandle.standardOutput.write(Data(Self.text(answer.data.incidents).utf8))
    }

    /// Each incident: a heading line, then its explanation, one line each.
    static func text(_ incidents: [IncidentStatus]) -> String {
        guard !incidents.isEmpty else { return "no incidents\n" }
        return incidents.map { incident in
            let scope = incident.scope.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let start = Date(timeIntervalSince1970: incident.start).formatted(.iso8601)
            var lines = ["\(incident.id)  \(scope)  since \(start)  trigger \(incident.trigger)"]
            lines += incident.explanation.map { "  - " + $0 }
            return lines.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }
}
