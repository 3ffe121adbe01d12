import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet config status [--group NAME] [--json]`.
struct FleetConfigStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Versions, rollout and, per agent, the version it should run, the one it runs and any failure.")

    @OptionGroup var address: NodeHTTPOptions

    @Option(help: "One group (default: every group).")
    var group: String?

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let request = FleetConfigRequest(address: address)
        let data = try request.send("GET", group.map { FleetConfigRequest.path($0) } ?? "/api/v1/fleet/config")
        if json {
            print(String(decoding: data, as: UTF8.self), terminator: "")
            return
        }
        let groups = group == nil ? try request.decode(FleetConfigList.self, data).groups : [try request.decode(FleetConfigGroupStatus.self, data)]
        if groups.isEmpty { print("no group has a central configuration") }
        for status in groups { print(Self.text(status), terminator: "") }
    }

    static func text(_ status: FleetConfigGroupStatus) -> String {
        var text = "group \(status.group): version \(status.version) for \(status.canary)% of agents"
        if status.canary < 100 { text += ", others \(status.stable.map { "version \($0)" } ?? "local file")" }
        text += " (revision \(status.revision))\n"
        for version in status.versions.reversed() {
            text += "  v\(version.version)  \(version.pushedAt)  \(version.bytes) bytes  sha256 \(version.sha256.prefix(12))  via \(version.pushedVia)\n"
        }
        let counts = Dictionary(grouping: status.agents, by: \.state).mapValues(\.count)
        text += "  agents: \(status.agents.count) (\(["current", "pending", "failed"].map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")))\n"
        if !status.agents.isEmpty {
            text += "  AGENT                                 HOST                 TARGET  APPLIED  STATE    REPORTED\n"
            for agent in status.agents {
                let id = agent.agent.padding(toLength: max(36, agent.agent.count), withPad: " ", startingAt: 0)
                let host = agent.host.padding(toLength: max(20, agent.host.count), withPad: " ", startingAt: 0)
                text += "  \(id)  \(host) \(pad(agent.target, 6))  \(pad(agent.applied, 7))  \(agent.state.padding(toLength: 7, withPad: " ", startingAt: 0))  \(agent.reportedAt)\n"
                if let error = agent.error {
                    text += "      v\(agent.failedVersion ?? 0) failed: \(error)\n"
                }
            }
        }
        return text
    }

    private static func pad(_ value: UInt64, _ width: Int) -> String {
        let text = value == 0 ? "-" : "v\(value)"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
