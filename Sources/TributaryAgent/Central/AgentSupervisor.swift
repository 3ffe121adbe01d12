import Foundation
import Logging
import TributaryProcess
import TributaryConfig
import TributaryWire

/// Owns the running `AgentService` of `trib agent` and replaces it, one
/// change at a time: a SIGHUP (the local file again) or a central
/// configuration from the nodes (`central: {group: …}`).
///
/// A central version that does not load (the validator's error) or does
/// not start (a port in use, a file it cannot read) leaves the agent on —
/// or brings it back to — the configuration it ran before, its last good
/// version; the error is reported to the node and that version is not
/// tried again until the agent restarts. A version that started is kept in
/// `state_dir/central/` (`CentralConfigCache`) and run at the next start,
/// before any node is reachable.
actor AgentSupervisor {
    private(set) var agent: AgentService
    private(set) var configuration: AgentConfiguration
    let path: String
    let logger: Logger
    /// The central version running (0: the local file alone) and its body.
    private(set) var centralVersion: UInt64
    private var centralBody: String?
    /// Versions that failed here, with their error (not retried).
    private var failed: [UInt64: String] = [:]

    init(agent: AgentService, configuration: AgentConfiguration, path: String, central: CentralConfigCache.Entry?, logger: Logger) {
        self.agent = agent
        self.configuration = configuration
        self.path = path
        self.logger = logger
        centralVersion = central?.version ?? 0
        centralBody = central?.body
    }

    /// The configuration `trib agent` starts with: the local file, or the
    /// stored central version joined with it when `central:` names its group.
    static func initialConfiguration(path: String, logger: Logger) throws -> (AgentConfiguration, CentralConfigCache.Entry?) {
        let local = try AgentConfiguration.load(path: path)
        guard let group = local.centralGroup else { return (local, nil) }
        guard let entry = CentralConfigCache(stateDirectory: local.stateDirectory).load(group: group) else {
            StandardOutput.say("central configuration: group \(group), nothing stored yet; running \(path) until a node sends one")
            return (local, nil)
        }
        do {
            let merged = try CentralConfiguration.merge(body: entry.body, version: entry.version, group: group, localPath: path)
            StandardOutput.say("central configuration: running stored version \(entry.version) of group \(group)")
            return (merged, entry)
        } catch {
            logger.error("central configuration: stored version \(entry.version) of group \(group) no longer loads with \(path) (\(error)); running \(path) alone until a node sends one")
            return (local, nil)
        }
    }

    /// SIGHUP: the local file again, with the central version joined in.
    func reloadLocal() async {
        var newer: AgentConfiguration
        do {
            newer = try AgentConfiguration.load(path: path)
            if let group = newer.centralGroup, let centralBody, group == configuration.centralGroup {
                newer = try CentralConfiguration.merge(body: centralBody, version: centralVersion, group: group, localPath: path)
            } else if newer.centralGroup != configuration.centralGroup {
                logger.error("SIGHUP: central.group changed; restart the agent to change its group (keeping the running configuration's group)")
                return
            }
        } catch {
            logger.error("SIGHUP: \(error); keeping the running configuration")
            return
        }
        if case .failure(let error) = await replace(with: newer) {
            logger.error("SIGHUP: the new configuration does not start (\(error)); went back to the previous one")
        } else {
            StandardOutput.say("reloaded \(path): \(newer.inputs.count) inputs (\(newer.inputs.map(\.name).joined(separator: ", ")))")
        }
    }

    /// A CONFIG from the node: applies it and says what became of it.
    func apply(_ offer: ConfigOffer) async -> ConfigStatus? {
        let group = offer.group
        switch offer.state {
        case .unchanged, .none:
            return ConfigStatus(group: group, version: offer.version, applied: centralVersion)
        case .body:
            break
        }
        if let error = failed[offer.version] {
            return ConfigStatus(group: group, version: offer.version, applied: centralVersion, error: error)
        }
        let newer: AgentConfiguration
        do {
            newer = try CentralConfiguration.merge(body: offer.body, version: offer.version, group: group, localPath: path)
        } catch {
            return refuse(offer, "does not load: \(error)")
        }
        if case .failure(let error) = await replace(with: newer) {
            return refuse(offer, "does not start: \(error)")
        }
        do {
            try CentralConfigCache(stateDirectory: configuration.stateDirectory).store(.init(group: group, version: offer.version, body: offer.body))
        } catch {
            logger.error("central configuration: version \(offer.version) runs but cannot be stored in \(configuration.stateDirectory)/central (\(error)); a restart without a node runs the previous one")
        }
        centralVersion = offer.version
        centralBody = offer.body
        StandardOutput.say("central configuration: applied version \(offer.version) of group \(group): \(newer.inputs.count) inputs (\(newer.inputs.map(\.name).joined(separator: ", ")))")
        return ConfigStatus(group: group, version: offer.version, applied: offer.version)
    }

    func stop() async {
        await agent.stop()
    }

    private func refuse(_ offer: ConfigOffer, _ error: String) -> ConfigStatus {
        let message = String(error.utf8.prefix(ConfigStatus.maxErrorBytes - 64)) ?? error
        failed[offer.version] = message
        let running = centralVersion == 0 ? "its local file" : "version \(centralVersion)"
        logger.error("central configuration: version \(offer.version) of group \(offer.group) \(message); keeping \(running)")
        return ConfigStatus(group: offer.group, version: offer.version, applied: centralVersion, error: message)
    }

    /// Stops the running agent and starts `newer`; if it does not start,
    /// starts the previous configuration again (exits if that fails too).
    private func replace(with candidate: AgentConfiguration) async -> Result<Void, Error> {
        var newer = candidate
        if newer.stateDirectory != configuration.stateDirectory {
            logger.error("state_dir changed to \(newer.stateDirectory), which cannot change while the agent runs (its spool and checkpoints are in \(configuration.stateDirectory)); keeping \(configuration.stateDirectory) and applying the rest. Restart the agent after moving the directory")
            newer.stateDirectory = configuration.stateDirectory
        }
        await agent.stop(drainTimeout: .seconds(2))
        do {
            let restarted = try await AgentService.start(newer, logger: logger)
            AgentProcess.announce(restarted, newer)
            (agent, configuration) = (restarted, newer)
            return .success(())
        } catch {
            do {
                let previous = try await AgentService.start(configuration, logger: logger)
                AgentProcess.announce(previous, configuration)
                agent = previous
            } catch let second {
                logger.critical("the previous configuration does not start either (\(second)); exiting")
                Foundation.exit(1)
            }
            return .failure(error)
        }
    }
}
