import ArgumentParser
import TributaryAgent

/// `trib agent --config agent.yaml`: runs the agent (the same as `trib-agent`).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run an agent: tail files, receive syslog and metrics, spool them on disk and forward them to nodes.",
        discussion: """
            Signals: SIGHUP re-reads the configuration: inputs, labels, nodes, TLS files and the rest take \
            effect after the pipeline drains and restarts (what was read stays in the spool; files resume \
            where they were); a changed state_dir is reported and not applied. SIGTERM or SIGINT stops the \
            inputs, spools what they read, waits up to 5 s for acknowledgements and exits; what is not \
            acknowledged is sent at the next start. The executable trib-agent runs the same agent with a \
            smaller memory footprint.
            """
    )

    @Option(help: "The agent's YAML configuration file.")
    var config: String

    func run() async throws {
        try await AgentProcess.run(configPath: config)
    }
}
