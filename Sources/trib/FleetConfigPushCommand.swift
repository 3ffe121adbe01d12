import ArgumentParser
import Foundation
import TributaryAPI

/// `trib fleet config push --group NAME FILE [--canary N%]`.
struct FleetConfigPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Store FILE as the group's next configuration version and roll it out (to a canary first with --canary).",
        discussion: """
            FILE holds the agent configuration's keys except those each agent keeps in its local file (nodes, token, tls, \
            insecure, state_dir, central). The node checks it with the agent's own validator and refuses it with that \
            validator's message. With --canary N%, only the agents whose id hashes into the first N of 100 buckets get it; \
            the others keep the previous version until trib fleet config promote.
            """)

    @OptionGroup var address: NodeHTTPOptions

    @Option(help: "The agents' group (their central.group).")
    var group: String

    @Option(help: "Roll out to this percentage of the group's agents first, e.g. 10%.")
    var canary: String?

    @Argument(help: "The central configuration (YAML).")
    var file: String

    func run() throws {
        var suffix = ""
        if let canary {
            guard let percent = FleetConfigRequest.percent(canary) else {
                throw ValidationError("--canary \(canary): give a percentage of the group's agents, 1%–100%")
            }
            suffix = "?canary=\(percent)"
        }
        guard let body = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        let request = FleetConfigRequest(address: address)
        let status = try request.decode(FleetConfigGroupStatus.self,
                                        try request.send("PUT", FleetConfigRequest.path(group, suffix), body: Array(body), contentType: "application/yaml"))
        print("group \(status.group): version \(status.version) stored, for \(status.canary)% of its agents"
              + (status.canary < 100 ? " (the others keep \(status.stable.map { "version \($0)" } ?? "their local file"))" : ""))
    }
}
