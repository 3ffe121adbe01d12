import ArgumentParser
import Foundation
import Logging
import TributaryAgent

/// `trib agent --config agent.yaml`: runs the agent.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run an agent: tail files, receive syslog and metrics, spool them on disk and forward them to nodes.",
        discussion: """
            Signals: SIGTERM or SIGINT stops the inputs, spools what they read, waits up to 5 s for \
            acknowledgements and exits; what is not acknowledged is sent at the next start.
            """
    )

    @Option(help: "The agent's YAML configuration file.")
    var config: String

    func run() async throws {
        let configuration = try AgentConfiguration.load(path: config)
        let logger = Logger(label: "tributary.agent")
        let agent = try await AgentService.start(configuration, logger: logger)
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
        for await signal in Signals.stream([SIGTERM, SIGINT]) {
            _ = signal
            say("stopping: spooling what the inputs read and waiting for acknowledgements")
            await agent.stop()
            return
        }
    }
}
