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
    /// Runs the agent of the configuration file at `path` until a stop signal.
    public static func run(configPath path: String) async throws {
        let configuration = try AgentConfiguration.load(path: path)
        let logger = Logger(label: "tributary.agent")
        let signals = Signals.watch()
        let agent = try await AgentService.start(configuration, logger: logger)
        announce(agent, configuration)
        if getenv("TRIB_AGENT_KEEP_CODE_PAGES") == nil {
            ExecutableCodePages.release()
        }
        try await ServiceGroup.runUntilStopped(AgentRunner(agent: agent, configuration: configuration, path: path, logger: logger,
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
            StandardOutput.say("reloaded \(path): \(newer.inputs.count) inputs (\(newer.inputs.map(\.name).joined(separator: ", ")))")
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
                exit(1)
            }
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
