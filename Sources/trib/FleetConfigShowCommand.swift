import ArgumentParser

/// `trib fleet config show --group NAME --version N`.
struct FleetConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one version of a group's configuration (default: the newest).")

    @OptionGroup var address: NodeHTTPOptions

    @Option(help: "The agents' group.")
    var group: String

    @Option(help: "The version (default: the newest).")
    var version: UInt64?

    func run() throws {
        let request = FleetConfigRequest(address: address)
        var chosen = version
        if chosen == nil {
            chosen = try request.decode(FleetConfigGroupStatusProbe.self, try request.send("GET", FleetConfigRequest.path(group))).version
        }
        let body = try request.send("GET", FleetConfigRequest.path(group, "/versions/\(chosen ?? 0)"))
        print(String(decoding: body, as: UTF8.self), terminator: "")
    }
}

/// The one field `show` needs of a group's status.
private struct FleetConfigGroupStatusProbe: Decodable {
    var version: UInt64
}
