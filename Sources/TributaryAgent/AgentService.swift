import Foundation
import Logging
import NIOCore
import NIOPosix
import TributaryModel
import TributaryTLS

/// A running agent: spool, batcher, forwarder, inputs and the local HTTP
/// port, started from an `AgentConfiguration` and stopped in reverse order.
public final class AgentService: Sendable {
    public let configuration: AgentConfiguration
    public let agentID: String
    public let recovery: Spool.Recovery
    public let metrics: AgentMetrics
    private let spool: Spool
    private let checkpoints: FileCheckpoints
    private let batcher: Batcher
    private let forwarder: Forwarder
    private let group: MultiThreadedEventLoopGroup
    private let fileInputs: [FileInput]
    private let syslogInputs: [SyslogInput]
    private let statsdInputs: [StatsDInput]
    private let hostInputs: [HostMetricsInput]
    private let prometheusInputs: [PrometheusInput]
    private let http: AgentHTTPServer
    private let saver: Task<Void, Never>
    private let logger: Logger

    /// The local HTTP port (real when configured as 0).
    public var httpPort: Int { http.port }
    /// Bound ports of syslog inputs: input name → protocol → port.
    public var syslogPorts: [String: [String: Int]] {
        Dictionary(uniqueKeysWithValues: syslogInputs.map { ($0.name, $0.ports) })
    }
    public var statsdPorts: [String: Int] { Dictionary(uniqueKeysWithValues: statsdInputs.map { ($0.name, $0.port) }) }

    private init(configuration: AgentConfiguration, agentID: String, recovery: Spool.Recovery, metrics: AgentMetrics, spool: Spool,
                 checkpoints: FileCheckpoints, batcher: Batcher, forwarder: Forwarder, group: MultiThreadedEventLoopGroup,
                 fileInputs: [FileInput], syslogInputs: [SyslogInput], statsdInputs: [StatsDInput], hostInputs: [HostMetricsInput],
                 prometheusInputs: [PrometheusInput], http: AgentHTTPServer, saver: Task<Void, Never>, logger: Logger) {
        self.configuration = configuration
        self.agentID = agentID
        self.recovery = recovery
        self.metrics = metrics
        self.spool = spool
        self.checkpoints = checkpoints
        self.batcher = batcher
        self.forwarder = forwarder
        self.group = group
        self.fileInputs = fileInputs
        self.syslogInputs = syslogInputs
        self.statsdInputs = statsdInputs
        self.hostInputs = hostInputs
        self.prometheusInputs = prometheusInputs
        self.http = http
        self.saver = saver
        self.logger = logger
    }

    public static func start(_ configuration: AgentConfiguration, logger: Logger) async throws -> AgentService {
        let state = configuration.stateDirectory
        let (spool, recovery) = try Spool.open(directory: state + "/spool", maxBytes: configuration.spoolMaxBytes, logger: logger)
        let agentID = try AgentIdentity.loadOrCreate(stateDirectory: state)
        if recovery.batches > 0 {
            logger.notice("spool: \(recovery.batches) batches (\(recovery.bytes) bytes) from the last run were not acknowledged; sending them again")
        }
        let tls = try configuration.tls.map { tls throws(TLSError) in try TLSContextStore(configuration: tls, role: .client) }
        if tls == nil {
            logger.warning("insecure: true — sending to nodes over plain TCP; anyone on the network can read the data and the token")
        }
        let checkpoints = FileCheckpoints(stateDirectory: state)
        let metrics = AgentMetrics(spool: spool)
        if !recovery.quarantined.isEmpty { metrics.add("tributary_agent_spool_quarantined_total", "segment", recovery.quarantined.count) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var forwarderSettings = ForwarderSettings(nodes: configuration.nodes, token: configuration.token, serverName: configuration.serverName)
        forwarderSettings.maxWindow = 32
        let deadLetters = DeadLetterFile(stateDirectory: state, maxBytes: configuration.deadLetterMaxBytes, logger: logger)
        var reportHost = ProcessInfo.processInfo.hostName
        if let host = configuration.labels.last(where: { $0.key == "host" }) { reportHost = host.value }
        let reports = AgentReportBuilder(configuration: configuration, host: reportHost, metrics: metrics, spool: spool)
        let forwarder = Forwarder(settings: forwarderSettings, tls: tls, agentID: agentID, spool: spool, checkpoints: checkpoints,
                                  metrics: metrics, deadLetters: deadLetters, compression: configuration.batch.compression,
                                  eventLoop: group.next(), logger: logger, reporter: { reports.report() },
                                  reportInterval: configuration.reportInterval)
        let batcher = Batcher(spool: spool, agentID: agentID, settings: configuration.batch, checkpoints: checkpoints, metrics: metrics,
                              deadLetters: deadLetters, logger: logger, onSpooled: { forwarder.spooled($0) })

        var base = Labels.empty
        for pair in configuration.labels { base = try base.setting(pair.key, to: pair.value) }
        if base["host"] == nil { base = try base.setting("host", to: ProcessInfo.processInfo.hostName) }

        var fileInputs: [FileInput] = []
        var syslogInputs: [SyslogInput] = []
        var statsdInputs: [StatsDInput] = []
        var hostInputs: [HostMetricsInput] = []
        var prometheusInputs: [PrometheusInput] = []
        do {
            for input in configuration.inputs {
                var labels = base
                for pair in input.labels { labels = try labels.setting(pair.key, to: pair.value) }
                let processor = LineProcessor(rules: input.rules)
                switch input.kind {
                case .file(let settings):
                    var sourceLabels = labels
                    if sourceLabels["source"] == nil { sourceLabels = try sourceLabels.setting("source", to: settings.format == .docker ? "docker" : "file") }
                    fileInputs.append(FileInput(name: input.name, settings: settings, processor: processor, labels: sourceLabels, batcher: batcher,
                                                checkpoints: checkpoints, spool: spool, metrics: metrics, logger: logger))
                case .syslog(let settings):
                    let sourceLabels = labels["source"] == nil ? try labels.setting("source", to: "syslog") : labels
                    syslogInputs.append(try await SyslogInput.start(name: input.name, settings: settings, labels: sourceLabels, processor: processor,
                                                                    batcher: batcher, metrics: metrics, group: group, logger: logger))
                case .statsd(let host, let port, let flushInterval, let maxSeries):
                    statsdInputs.append(try await StatsDInput.start(name: input.name, host: host, port: port, flushInterval: flushInterval,
                                                                    maxSeries: maxSeries, labels: labels, batcher: batcher, metrics: metrics,
                                                                    group: group, logger: logger))
                case .hostMetrics(let interval):
                    hostInputs.append(HostMetricsInput(name: input.name, interval: interval, labels: labels, batcher: batcher, logger: logger))
                case .prometheus(let settings):
                    // The input's labels are target labels; the agent's are
                    // added only where a series has none of that name.
                    prometheusInputs.append(try PrometheusInput.start(name: input.name, settings: settings, inputLabels: input.labels,
                                                                      agentLabels: base, batcher: batcher, metrics: metrics, logger: logger))
                }
            }
        } catch {
            for input in syslogInputs { await input.stop() }
            for input in statsdInputs { await input.stop() }
            for input in hostInputs { input.stop() }
            for input in prometheusInputs { input.stop() }
            try? await group.shutdownGracefully()
            spool.close()
            throw error
        }
        let events = EventIntake(batcher: batcher, labels: base)
        let health: @Sendable () -> String = {
            "ok\nspool_bytes \(spool.usedBytes)\nspool_batches \(spool.pendingCount)\nlag_seconds \(String(format: "%.1f", metrics.lagSeconds))\n"
        }
        let http = try await AgentHTTPServer.start(host: configuration.httpHost, port: configuration.httpPort, group: group, metrics: metrics,
                                                   events: events, health: health, logger: logger)
        let saver = Task.detached {
            // Every second, or at once when a full spool waits for
            // acknowledged segments to go.
            var last = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                let done = spool.doneSegments()
                guard ContinuousClock.now - last >= .seconds(1) || (spool.isFull && !done.isEmpty) else { continue }
                last = .now
                // Acknowledged segments go only once the checkpoints that
                // cover their lines are on disk.
                do {
                    try checkpoints.save()
                    spool.deleteSegments(done)
                } catch {
                    logger.error("cannot save file checkpoints: \(error); acknowledged spool segments are kept until it can")
                }
            }
        }
        // File inputs first: they read the spool's positions before the
        // forwarder's acknowledgements start removing batches.
        for input in fileInputs { input.start() }
        batcher.start()
        forwarder.start()
        logger.info("agent \(agentID) started: \(configuration.inputs.count) inputs, sending to \(configuration.nodes.map(\.description).joined(separator: ", "))")
        return AgentService(configuration: configuration, agentID: agentID, recovery: recovery, metrics: metrics, spool: spool,
                            checkpoints: checkpoints, batcher: batcher, forwarder: forwarder, group: group, fileInputs: fileInputs,
                            syslogInputs: syslogInputs, statsdInputs: statsdInputs, hostInputs: hostInputs,
                            prometheusInputs: prometheusInputs, http: http,
                            saver: saver, logger: logger)
    }

    /// Stops inputs, spools what they handed over, gives the forwarder up
    /// to `drainTimeout` to have it acknowledged, and keeps the rest in the
    /// spool for the next start.
    public func stop(drainTimeout: Duration = .seconds(5)) async {
        for input in syslogInputs { await input.stop() }
        for input in statsdInputs { await input.stop() }
        for input in hostInputs { input.stop() }
        for input in prometheusInputs { input.stop() }
        for input in fileInputs { input.stop() }
        batcher.stop()
        await forwarder.stop(timeout: drainTimeout)
        await http.stop()
        saver.cancel()
        let done = spool.doneSegments()
        do {
            try checkpoints.save()
            spool.deleteSegments(done)
        } catch {
            logger.error("cannot save file checkpoints: \(error)")
        }
        let left = spool.pendingCount
        spool.close()
        try? await group.shutdownGracefully()
        if left > 0 {
            logger.notice("stopped with \(left) batches in the spool; they are sent at the next start")
        }
    }
}
