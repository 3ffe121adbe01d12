#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import ServiceLifecycle
import TributaryProcess

/// A whole agent process, shared by `trib agent` and `trib-agent`: load
/// the configuration, start, announce the ports, then run until SIGTERM or
/// SIGINT, reloading at each SIGHUP.
public enum AgentProcess {
    /// Runs the agent of the configuration file at `path` until a stop
    /// signal; with `central: {group: …}` also the group's central
    /// configuration (`AgentSupervisor`, docs/fleet-config.md).
    public static func run(configPath path: String) async throws {
        let logger = Logger(label: "tributary.agent")
        var (configuration, central) = try AgentSupervisor.initialConfiguration(path: path, logger: logger)
        let signals = Signals.watch()
        let agent: AgentService
        do {
            agent = try await AgentService.start(configuration, logger: logger)
        } catch where central != nil {
            logger.error("central configuration: stored version \(central?.version ?? 0) does not start (\(error)); running \(path) alone until a node sends one")
            (configuration, central) = (try AgentConfiguration.load(path: path), nil)
            agent = try await AgentService.start(configuration, logger: logger)
        }
        announce(agent, configuration)
        if getenv("TRIB_AGENT_KEEP_CODE_PAGES") == nil {
            releaseStartPages(agent, logger: logger)
        }
        let supervisor = AgentSupervisor(agent: agent, configuration: configuration, path: path, central: central, logger: logger)
        try await ServiceGroup.runUntilStopped(AgentRunner(supervisor: supervisor, reloads: signals.reloads),
                                               signals: signals, logger: logger)
    }

    /// Drops the code and read-only data only the start used from the
    /// resident set (`LoadedCodePages`), and the heap's free pages (the
    /// configuration's parse, the spool's recovery): now, and once more
    /// when the first node has welcomed the agent (the TLS handshake and
    /// connection set-up run once), or after 30 s without one.
    /// `TRIB_AGENT_KEEP_CODE_PAGES=1` turns this off.
    static func releaseStartPages(_ agent: AgentService, logger: Logger) {
        let released = LoadedCodePages.release()
        FreeHeapPages.release()
        Task.detached(priority: .low) {
            let deadline = ContinuousClock.now + .seconds(30)
            while !agent.metrics.anyNodeConnected, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
            FreeHeapPages.release()
            let again = LoadedCodePages.release()
            logger.debug("released start-up pages from the resident set: \(released >> 20) MB of mappings, then \(again >> 20) MB after the first connection")
        }
    }

    /// The lines tests, benchmarks and operators read: the agent id, the
    /// HTTP port and each listening input's ports.
    static func announce(_ agent: AgentService, _ configuration: AgentConfiguration) {
        let say = StandardOutput.say
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
