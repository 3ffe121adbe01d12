import ArgumentParser
import TributaryAPI

/// `trib fleet config promote --group NAME [--canary N%]`.
struct FleetConfigPromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Widen the newest version's canary (default: to every agent of the group).")

    @OptionGroup var address: NodeHTTPOptions

    @Option(help: "The agents' group.")
    var group: String

    @Option(help: "The new percentage (default 100%).")
    var canary = "100%"

    func run() throws {
        guard let percent = FleetConfigRequest.percent(canary) else {
            throw ValidationError("--canary \(canary): give a percentage of the group's agents, 1%–100%")
        }
        let request = FleetConfigRequest(address: address)
        let status = try request.decode(FleetConfigGroupStatus.self,
                                        try request.send("POST", FleetConfigRequest.path(group, "/promote?canary=\(percent)")))
        print("group \(status.group): version \(status.version) now for \(status.canary)% of its agents")
    }
}
