import ArgumentParser
import TributaryAPI

/// `trib fleet config rollback --group NAME`.
struct FleetConfigRollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Send every agent of the group back to the version that ran before the newest.",
        discussion: "During a canary, that is the version the others still run; otherwise the newest earlier version.")

    @OptionGroup var address: NodeHTTPOptions

    @Option(help: "The agents' group.")
    var group: String

    func run() throws {
        let request = FleetConfigRequest(address: address)
        let status = try request.decode(FleetConfigGroupStatus.self, try request.send("POST", FleetConfigRequest.path(group, "/rollback")))
        print("group \(status.group): rolled back to version \(status.version) for every agent")
    }
}
