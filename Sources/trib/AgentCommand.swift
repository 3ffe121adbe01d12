import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TributaryAgent

/// `trib agent --config agent.yaml`: runs the agent.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run an agent: tail files, receive syslog and metrics, spool them on disk and forward them to nodes.",
        discussion: """
            Signals: SIGHUP re-reads the configuration: inputs, labels, nodes, TLS files and the rest take \
            effect after the pipeline drains and restarts (what was read stays in the spool; files resume \
            where they were); a changed state_dir is reported and not applied. SIGTERM or SIGINT stops the \
            inputs, spools what they read, waits up to 5 s for acknowledgements and exits; what is not \
            acknowledged is sent at the next start. With central: {group: NAME} the agent also runs that \
            group's central configuration (trib fleet config push), see docs/fleet-config.md.
            """
    )

    @Option(help: "The agent's YAML configuration file.")
    var config: String

    func run() async throws {
        let logger = Logger(label: "tributary.agent")
        var (configuration, central) = try AgentSupervisor.initialConfiguration(path: config, logger: logger)
        let signals = Signals.watch()
        let agent: AgentService
        do {
            agent = try await AgentService.start(configuration, logger: logger)
        } catch where central != nil {
            logger.error("central configuration: stored version \(central?.version ?? 0) does not start (\(error)); running \(config) alone until a node sends one")
            (configuration, central) = (try AgentConfiguration.load(path: config), nil)
            agent = try await AgentService.start(configuration, logger: logger)
        }
        Self.announce(agent, configuration)
        let supervisor = AgentSupervisor(agent: agent, configuration: configuration, path: config, central: central, logger: logger)
        try await ServiceGroup.runUntilStopped(AgentRunner(supervisor: supervisor, reloads: signals.reloads),
                                               signals: signals, logger: logger)
    }

    static func announce(_ agent: AgentService, _ configuration: AgentConfiguration) {
        say("trib agent \(agent.agentID): \(configuration.inputs.count) inputs, forwarding to \(configuration.nodes.map(\.description).joined(separator: ", ")); spool in \(configuration.stateDirectory)/spool")
        say("trib agent: HTTP on http://\(configuration.httpHost):\(agent.httpPort) (/metrics, /healthz, POST /api/v1/events)")
        for (name, ports) in agent.syslogPorts.sorted(by: { $0.key < $1.key }) {
            say("trib agent: input \(name): syslog \(ports.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
        for (name, port) in agent.statsdPorts.sorted(by: { $0.key < $1.key }) {
            say("trib agent: input \(name): statsd udp \(port)")
        }
        if agent.recovery.batches > 0 {
            say("resending \(agent.recovery.batches) batches left unacknowledged in the spool")
        }
    }
}
