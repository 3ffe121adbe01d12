import Foundation
import Logging
import Synchronization
import TributaryFormats
import TributaryHTTPClient
import TributaryModel
import TributaryTLS

/// A `type: prometheus` input: scrapes Prometheus and OpenMetrics
/// endpoints (`PrometheusInputSettings`), one `ScrapeLoop` per target.
/// The targets are the static list plus those of the file_sd files, which
/// are checked every second and re-read when they change; a target that
/// leaves gets stale markers for all its series, a new one starts at once.
/// A file that becomes invalid is reported and its previous targets kept.
public final class PrometheusInput: Sendable {
    public let name: String
    private let settings: PrometheusInputSettings
    private let inputLabels: [(key: String, value: String)]
    private let agentLabels: Labels
    private let scraper: TargetScraper
    private let batcher: Batcher
    private let metrics: AgentMetrics
    private let logger: Logger

    private struct State {
        var loops: [ScrapeTarget: ScrapeLoop] = [:]
        /// Per target file: what `stat` said when it was read, and its targets.
        var files: [String: (stamp: ScrapeTargetFile.Stamp?, targets: [ScrapeTarget])] = [:]
        var stopping = false
        /// The target count last reported as over the limit.
        var reportedOverflow = 0
    }

    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    private let discoveryFinished = DispatchSemaphore(value: 0)

    private init(name: String, settings: PrometheusInputSettings, inputLabels: [(key: String, value: String)], agentLabels: Labels,
                 scraper: TargetScraper, batcher: Batcher, metrics: AgentMetrics, logger: Logger) {
        self.name = name
        self.settings = settings
        self.inputLabels = inputLabels
        self.agentLabels = agentLabels
        self.scraper = scraper
        self.batcher = batcher
        self.metrics = metrics
        self.logger = logger
    }

    /// Reads the TLS files and the target files and starts scraping.
    /// - Parameters:
    ///   - inputLabels: the input's `labels`, target labels of every target.
    ///   - agentLabels: the agent-wide labels, added where a series has none of that name.
    public static func start(name: String, settings: PrometheusInputSettings, inputLabels: [(key: String, value: String)],
                             agentLabels: Labels, batcher: Batcher, metrics: AgentMetrics, logger: Logger) throws -> PrometheusInput {
        var tls: HTTPGetClient.TLS?
        if let configuration = settings.tls {
            do {
                tls = HTTPGetClient.TLS(context: try TLSContext(configuration: configuration, role: .client), serverName: settings.serverName)
            } catch {
                throw AgentStartError.invalidInput(input: name, reason: "tls: \(error)")
            }
        }
        let input = PrometheusInput(name: name, settings: settings, inputLabels: inputLabels, agentLabels: agentLabels,
                                    scraper: TargetScraper(settings: settings, tls: tls), batcher: batcher, metrics: metrics, logger: logger)
        let count = input.refresh()
        let files = settings.files.isEmpty ? "" : ", target files checked every second"
        logger.info("input \(name): prometheus scraping \(count) targets every \(settings.interval)\(files)")
        if !settings.files.isEmpty {
            let thread = Thread { [input] in input.discover() }
            thread.name = "trib-scrape-sd"
            thread.start()
        } else {
            input.discoveryFinished.signal()
        }
        return input
    }

    /// The targets scraped now (for tests and the log).
    var targets: [ScrapeTarget] { state.withLock { Array($0.loops.keys) } }

    /// Stops every scrape loop (without stale markers: a restart or reload
    /// carries on with the same series).
    public func stop() {
        let loops = state.withLock { state in
            state.stopping = true
            return Array(state.loops.values)
        }
        wakeup.signal()
        _ = discoveryFinished.wait(timeout: .now() + .seconds(2))
        for loop in loops { loop.requestStop() }
        let deadline = DispatchTime.now() + .seconds(1) + .nanoseconds(ScrapeLoop.nanoseconds(settings.timeout))
        for loop in loops { loop.waitUntilStopped(deadline: deadline) }
    }

    private func discover() {
        while !state.withLock({ $0.stopping }) {
            _ = wakeup.wait(timeout: .now() + .nanoseconds(ScrapeLoop.nanoseconds(PrometheusInputSettings.fileCheckInterval)))
            guard !state.withLock({ $0.stopping }) else { break }
            refresh()
        }
        discoveryFinished.signal()
    }

    /// Re-reads changed target files, then starts loops for new targets and
    /// finishes those of targets that left. Returns how many run.
    @discardableResult
    private func refresh() -> Int {
        var files = state.withLock { $0.files }
        let present = ScrapeTargetFile.expand(settings.files)
        var changed = false
        for path in files.keys where !present.contains(path) {
            files[path] = nil
            changed = true
            logger.notice("input \(name): target file \(path) is gone; its targets are no longer scraped")
        }
        for path in present {
            let stamp = ScrapeTargetFile.stamp(path)
            if let known = files[path], known.stamp == stamp { continue }
            do throws(ScrapeTargetFile.Failure) {
                var targets: [ScrapeTarget] = []
                for group in try ScrapeTargetFile.read(path) {
                    let made = ScrapeTarget.make(addresses: group.targets, groupLabels: group.labels, settings: settings, inputLabels: inputLabels)
                    if let problem = made.problems.first {
                        throw ScrapeTargetFile.Failure(description: "\(path): \(problem)")
                    }
                    targets += made.targets
                }
                files[path] = (stamp, targets)
                changed = true
            } catch {
                // Keep the last good targets; read again once the file changes.
                files[path] = (stamp, files[path]?.targets ?? [])
                metrics.add("tributary_agent_input_errors_total", "prometheus_target_file")
                logger.error("input \(name): target file \(error); keeping its previous targets until it is fixed")
            }
        }
        var wanted = Set(ScrapeTarget.make(addresses: settings.targets, groupLabels: [], settings: settings, inputLabels: inputLabels).targets)
        for (_, entry) in files { wanted.formUnion(entry.targets) }
        if wanted.count > PrometheusInputSettings.maxTargets {
            let kept = wanted.sorted { $0.url < $1.url }.prefix(PrometheusInputSettings.maxTargets)
            let count = wanted.count
            let report = state.withLock { state in
                defer { state.reportedOverflow = count }
                return state.reportedOverflow != count
            }
            if report { logger.error("input \(name): \(wanted.count) targets, more than the \(PrometheusInputSettings.maxTargets) one input scrapes; the first \(PrometheusInputSettings.maxTargets) by address are scraped: split the targets over several inputs") }
            wanted = Set(kept)
        }
        let (started, removed) = state.withLock { state -> ([ScrapeLoop], [ScrapeLoop]) in
            state.files = files
            guard !state.stopping else { return ([], []) }
            var started: [ScrapeLoop] = []
            var removed: [ScrapeLoop] = []
            for (target, loop) in state.loops where !wanted.contains(target) {
                removed.append(loop)
                state.loops[target] = nil
            }
            for target in wanted where state.loops[target] == nil {
                let loop = ScrapeLoop(target: target, input: name, settings: settings, scraper: scraper, agentLabels: agentLabels,
                                      batcher: batcher, metrics: metrics, logger: logger)
                state.loops[target] = loop
                started.append(loop)
            }
            return (started, removed)
        }
        for loop in started { loop.start() }
        for loop in removed { loop.finish() }
        if changed && (!started.isEmpty || !removed.isEmpty) {
            logger.notice("input \(name): targets changed: \(started.count) added, \(removed.count) removed, \(wanted.count) scraped")
        }
        return wanted.count
    }
}
