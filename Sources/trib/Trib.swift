import ArgumentParser
import TributaryModel

/// `trib`: one executable for every role. Subcommands parse their arguments
/// and hand over to the libraries.
@main
struct Trib: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trib",
        abstract: "Tributary: collect logs, metrics and change events from a fleet, and store and query them.",
        discussion: """
            Agents (`trib agent`) ship records over the Tributary wire protocol
            (proto/PROTOCOL.md) to nodes (`trib node`). This build provides the
            subcommands listed below.
            """,
        version: TributaryVersion.string,
        subcommands: [DemoCommand.self, AgentCommand.self, EventCommand.self, NodeCommand.self, ClusterCommand.self, QueryCommand.self, AlertsCommand.self, IncidentsCommand.self, PatternsCommand.self, FleetCommand.self, CheckConfigCommand.self, CertsCommand.self, BenchCommand.self]
    )
}
