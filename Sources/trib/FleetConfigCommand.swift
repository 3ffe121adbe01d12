import ArgumentParser

/// `trib fleet config …`: central agent configuration (docs/fleet-config.md).
struct FleetConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Push, roll out, inspect and roll back the agent configuration of a group.",
        discussion: """
            Agents whose local file says central: {group: NAME} run their group's newest version (or, during a \
            canary, the agents outside it run the previous one). Every command needs a token with the admin role \
            (--token or TRIB_TOKEN) and the node's HTTP address (--node); any node of the cluster answers.
            """,
        subcommands: [FleetConfigPushCommand.self, FleetConfigStatusCommand.self, FleetConfigPromoteCommand.self,
                      FleetConfigRollbackCommand.self, FleetConfigShowCommand.self]
    )
}
