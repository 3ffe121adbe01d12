import ArgumentParser

/// `trib fleet …`: the agents of the fleet and the completeness of what
/// they and other sources send (docs/fleet.md).
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "See the fleet: agents, their versions and state, sources that went silent.",
        discussion: """
            Every subcommand asks one node, which answers for the whole cluster:
              trib fleet list --node https://node-a:7480 --ca ca.pem --token "$TOKEN"
              trib fleet show web-1
              trib fleet audit
              trib fleet sources --silent
            """,
        subcommands: [FleetListCommand.self, FleetShowCommand.self, FleetAuditCommand.self, FleetSourcesCommand.self]
    )
}
