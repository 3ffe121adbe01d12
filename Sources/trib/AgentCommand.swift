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
            acknowledged is sent at the next start.
            """
    )

    @Option(help: "The agent's YAML configuration file.")
    var config: String

    func run() async throws {
        let configuration = try AgentConfiguration.load(path: config)
        let logger = Logger(label: "tributary.agent")
        let signals = Signals.watch()
        let agent = try await AgentService.start(configuration, logger: logger)
        Self.announce(agent, configuration)
        try await ServiceGroup.runUntilStopped(AgentRunner(agent: agent, configuration: configuration, path: config, logger: logger,
                                                           reloads: signals.reloads),
                                               signals: signals, logger: logger)
    }

    /// SIGHUP: a new configuration that loads replaces the running one
    /// after the pipeline drains (up to 2 s) and restarts from the spool and
    /// checkpoints, exactly as after a restart; one that does not load, or a
    /// state_dir change, is reported and the agent keeps what it runs.
    static func reload(_ agent: AgentService, _ running: AgentConfiguration, path: String,
                       logger: Logger) async -> (AgentService, AgentConfiguration) {
        var newer: AgentConfiguration
        do {
            newer = try AgentConfiguration.load(path: path)
        } catch {
            logger.error("SIGHUP: \(error); keeping the running configuration")
            return (agent, running)
        }
        if newer.stateDirectory != running.stateDirectory {
            logger.error("SIGHUP: state_dir changed to \(newer.stateDirectory), which cannot change while the agent runs (its spool and checkpoints are in \(running.stateDirectory)); keeping \(running.stateDirectory) and applying the rest. Restart the agent after moving the directory")
            newer.stateDirectory = running.stateDirectory
        }
        await agent.stop(drainTimeout: .seconds(2))
        do {
            let restarted = try await AgentService.start(newer, logger: logger)
            say("reloaded \(path): \(newer.inputs.count) inputs (\(newer.inputs.map(\.name).joined(separator: ", ")))")
            announce(restarted, newer)
            return (restarted, newer)
        } catch {
            logger.error("SIGHUP: the new configuration does not start (\(error)); going back to the previous one")
            do {
                let previous = try await AgentService.start(running, logger: logger)
                announce(previous, running)
                return (previous, running)
            } catch {
                logger.critical("the previous configuration does not start either (\(error)); exiting")
                Foundation.exit(1)
            }
        }
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
