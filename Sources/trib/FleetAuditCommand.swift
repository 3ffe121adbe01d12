import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet audit`: silent sources, missing agents and lost records, oldest first.
struct FleetAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List what the fleet is missing: silent sources, missing agents, spool and UDP drops, each with since when.",
        discussion: "A source is silent when it sent nothing for fleet.silent_factor of its usual intervals, and at least fleet.silent_after (docs/fleet.md)."
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let body = try FleetHTTP.get(connection, path: "/api/v1/fleet/audit")
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let answer = try JSONDecoder().decode(FleetAuditResponse.self, from: Data(body))
        FleetHTTP.warn(answer.warnings)
        FileHandle.standardOutput.write(Data(Self.text(answer.data.findings).utf8))
    }

    static func text(_ findings: [FleetFinding]) -> String {
        guard !findings.isEmpty else { return "no findings: every agent is up and every source sends as usual\n" }
        let rows = [["KIND", "SUBJECT", "SINCE", "DETAIL"]] + findings.map { [$0.kind, $0.subject, FleetHTTP.short($0.since), $0.detail] }
        return FleetHTTP.table(rows)
    }
}
