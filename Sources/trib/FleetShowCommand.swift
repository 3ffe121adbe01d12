import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet show AGENT`: everything the cluster knows of one agent.
struct FleetShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one agent (by id, or by host when one agent runs there): report, inputs, spool, errors."
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Argument(help: "The agent's id or host name.")
    var agent: String

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let path = "/api/v1/fleet/agents/" + (agent.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? agent)
        let body = try FleetHTTP.get(connection, path: path)
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let answer = try JSONDecoder().decode(FleetAgentResponse.self, from: Data(body))
        FleetHTTP.warn(answer.warnings)
        FileHandle.standardOutput.write(Data(Self.text(answer.data).utf8))
    }

    static func text(_ agent: FleetAgent) -> String {
        var rows: [[String]] = [
            ["id:", agent.id], ["host:", agent.host], ["state:", agent.state + (agent.connected ? " (connected to \(agent.node))" : " (last on \(agent.node))")],
            ["last seen:", FleetHTTP.short(agent.lastSeen)], ["version:", agent.version],
        ]
        if !agent.reports {
            rows.append(["report:", "none (the agent predates REPORT: only its HELLO is known)"])
            return FleetHTTP.table(rows)
        }
        rows += [
            ["os:", agent.os], ["kernel:", agent.kernel], ["started:", FleetHTTP.short(agent.started)],
            ["config hash:", agent.configHash], ["config version:", agent.configVersion ?? "-"], ["config error:", agent.configError ?? "-"],
            ["spool:", FleetHTTP.bytes(agent.spoolBytes) + ", oldest unacknowledged \(String(format: "%.1f", agent.oldestUnackedSeconds)) s"],
            ["dropped:", "\(agent.droppedRecords) records (\(agent.udpDroppedRecords) UDP)"],
            ["last error:", agent.lastError ?? "-"],
            ["labels:", agent.labels.isEmpty ? "-" : agent.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")],
        ]
        var text = FleetHTTP.table(rows)
        guard !agent.inputs.isEmpty else { return text + "inputs: none\n" }
        text += "inputs:\n"
        let inputs = [["  NAME", "TYPE", "STATE", "RECORDS"]] + agent.inputs.map { ["  " + $0.name, $0.type, $0.state, String($0.records)] }
        return text + FleetHTTP.table(inputs)
    }
}
