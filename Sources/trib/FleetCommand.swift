import ArgumentParser

/// `trib fleet …`: the agents of the fleet, the completeness of what they
/// and other sources send (docs/fleet.md), and their central configuration
/// (docs/fleet-config.md).
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "See the fleet (agents, versions, state, silent sources) and roll out its configuration.",
        discussion: """
            Every subcommand asks one node, which answers for the whole cluster:
              trib fleet list --node https://node-a:7480 --ca ca.pem --token "$TOKEN"
              trib fleet show web-1
              trib fleet audit
              trib fleet sources --silent
              trib fleet config push --group web --canary 10% web.yaml
            """,
        subcommands: [FleetListCommand.self, FleetShowCommand.self, FleetAuditCommand.self, FleetSourcesCommand.self, FleetConfigCommand.self]
    )
}
