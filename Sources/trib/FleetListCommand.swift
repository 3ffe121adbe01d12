import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet list`: one line per agent of the token's tenant.
struct FleetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agents: id, host, version, state (up or missing), last seen, configuration, spool.",
        discussion: """
            Filters combine: trib fleet list --state missing --version 0.1.0 --label env=prod
            """
    )

    @OptionGroup var connection: NodeHTTPOptions

    @Option(help: "Only agents in this state: up or missing.")
    var state: String?

    @Option(help: "Only agents running this version, e.g. 0.1.0.")
    var version: String?

    @Option(help: "Only agents with this label (NAME=VALUE of their labels:); repeat for several.")
    var label: [String] = []

    @Flag(help: "Print the node's JSON.")
    var json = false

    func validate() throws {
        if let state, state != "up", state != "missing" { throw ValidationError("--state: expected up or missing, found \(state)") }
        for selector in label where !selector.contains("=") {
            throw ValidationError("--label: expected NAME=VALUE such as env=prod, found \(selector)")
        }
    }

    func run() throws {
        var query: [URLQueryItem] = []
        if let state { query.append(URLQueryItem(name: "state", value: state)) }
        if let version { query.append(URLQueryItem(name: "version", value: version)) }
        query += label.map { URLQueryItem(name: "label", value: $0) }
        let body = try FleetHTTP.get(connection, path: "/api/v1/fleet", query: query)
        if json {
            FileHandle.standardOutput.write(Data(body))
            return
        }
        let answer = try JSONDecoder().decode(FleetResponse.self, from: Data(body))
        FleetHTTP.warn(answer.warnings)
        FileHandle.standardOutput.write(Data(Self.text(answer.data.agents).utf8))
    }

    static func text(_ agents: [FleetAgent]) -> String {
        guard !agents.isEmpty else { return "no agents\n" }
        var rows = [["ID", "HOST", "VERSION", "STATE", "LAST SEEN", "CONFIG", "SPOOL", "INPUTS", "NODE"]]
        for agent in agents {
            let config = agent.configVersion ?? (agent.configHash.isEmpty ? "-" : agent.configHash)
            rows.append([agent.id, agent.host, agent.version.isEmpty ? "-" : agent.version, agent.state, FleetHTTP.short(agent.lastSeen),
                         config + (agent.configError == nil ? "" : " (error)"), agent.reports ? FleetHTTP.bytes(agent.spoolBytes) : "-",
                         agent.reports ? String(agent.inputs.count) : "-", agent.node])
        }
        let missing = agents.filter { $0.state == "missing" }.count
        return FleetHTTP.table(rows) + "\(agents.count) agents, \(missing) missing\n"
    }
}
