import ArgumentParser
import Foundation
import TributaryAPI
import TributaryHTTPClient

/// `trib alerts`: the alerts (or, with --rules, the rule groups) a node
/// evaluates for the token's tenant, as a table or as the node's JSON.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List pending, firing and recently resolved alerts, or the rules (--rules) with their health.",
        discussion: """
            Asks GET /api/v1/alerts?resolved=true (or /api/v1/rules) of a node, in Prometheus' shapes:
              trib alerts --node https://127.0.0.1:7401 --ca ca.pem --token "$TOKEN"
              trib alerts --rules
              trib alerts --json
            In a cluster any node lists every alert (it asks the nodes evaluating the other groups); --rules shows which node evaluates each group.
            """
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Flag(help: "List the rule groups and rules with their health, last error and evaluation time.")
    var rules = false

    @Flag(help: "Leave out alerts resolved in the last 15 minutes.")
    var activeOnly = false

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let endpoint = try connection.endpoint(purpose: "a token with the query role; it chooses the tenant")
        let path = rules ? "/api/v1/rules" : (activeOnly ? "/api/v1/alerts" : "/api/v1/alerts?resolved=true")
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: path, headers: endpoint.headers, tls: endpoint.tls,
                              status: { status = $0 }) { piece in
            body += piece
            guard body.count < 256 << 20 else { throw QueryFailed(message: "the answer is larger than 256 MiB") }
        }
        guard status == 200 else { throw QueryFailed(message: "the node answered \(status): \(String(decoding: body, as: UTF8.self))") }
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let text: String
        if rules {
            let answer = try JSONDecoder().decode(RulesResponse.self, from: Data(body))
            text = Self.rulesTable(answer.data.groups)
        } else {
            let answer = try JSONDecoder().decode(AlertsResponse.self, from: Data(body))
            text = Self.alertsTable(answer.data.alerts) + (answer.warnings ?? []).map { "warning: \($0)\n" }.joined()
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func alertsTable(_ alerts: [AlertStatus]) -> String {
        guard !alerts.isEmpty else { return "no alerts\n" }
        var rows = [["ALERT", "STATE", "ACTIVE SINCE", "VALUE", "LABELS", "SUMMARY"]]
        for alert in alerts {
            let labels = alert.labels.filter { $0.key != "alertname" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let state = alert.state == "inactive" ? "resolved" + (alert.resolvedAt.map { " " + $0 } ?? "") : alert.state
            rows.append([alert.labels["alertname"] ?? "", state, alert.activeAt, alert.value, labels,
                         alert.annotations["summary"] ?? alert.annotations["description"] ?? ""])
        }
        return table(rows)
    }

    static func rulesTable(_ groups: [RuleGroupStatus]) -> String {
        guard !groups.isEmpty else { return "no rule groups\n" }
        var rows = [["GROUP", "RULE", "TYPE", "STATE", "HEALTH", "EVALUATED BY", "LAST EVALUATION", "SECONDS", "ERROR"]]
        for group in groups {
            for rule in group.rules {
                rows.append([group.name, rule.name, rule.type, rule.state ?? "-", rule.health, group.evaluatedBy ?? "-", rule.lastEvaluation,
                             String(format: "%.3f", rule.evaluationTime), rule.lastError])
            }
        }
        return table(rows)
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
