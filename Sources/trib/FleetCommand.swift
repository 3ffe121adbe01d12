import ArgumentParser

/// `trib fleet …`: the agents of a fleet as the nodes see them.
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Look after a fleet of agents: central configuration.",
        subcommands: [FleetConfigCommand.self]
    )
}
