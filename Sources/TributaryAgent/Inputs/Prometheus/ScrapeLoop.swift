import Foundation
import Logging
import Synchronization
import TributaryFormats
import TributaryModel
import TributaryWire

/// Scrapes one target every `interval` on its own thread (the HTTP client
/// blocks) and hands the samples to the batcher, which spools them like
/// any other record. Per scrape it also writes the target's `up`,
/// `scrape_duration_seconds` and `scrape_samples_scraped`, and a stale
/// marker for each series of the previous scrape that is gone, as
/// Prometheus does: all of them when the scrape fails, and all of them
/// and the target's own series when the target is removed (`finish`).
/// Memory: the previous scrape's series, at most `sample_limit`.
final class ScrapeLoop: Sendable {
    /// Prometheus' staleness marker (`value.StaleNaN`).
    static let staleMarker = Double(bitPattern: 0x7ff0_0000_0000_0002)
    /// Records per hand-over to the batcher (a batch holds at most 50,000).
    static let submitChunk = 10_000

    struct SeriesKey: Hashable, Sendable {
        var name: String
        var labels: Labels
    }

    private struct State {
        var stopping = false
        /// Series of the last scrape (without explicit timestamps), and their kinds.
        var previous: [SeriesKey: MetricKind] = [:]
        var lastError: String?
    }

    let target: ScrapeTarget
    private let input: String
    private let settings: PrometheusInputSettings
    private let scraper: TargetScraper
    private let labeler: ScrapeLabeler
    private let batcher: Batcher
    private let metrics: AgentMetrics
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(target: ScrapeTarget, input: String, settings: PrometheusInputSettings, scraper: TargetScraper, agentLabels: Labels,
         batcher: Batcher, metrics: AgentMetrics, logger: Logger) {
        self.target = target
        self.input = input
        self.settings = settings
        self.scraper = scraper
        self.labeler = ScrapeLabeler(targetLabels: target.labels, agentLabels: agentLabels, honorLabels: settings.honorLabels)
        self.batcher = batcher
        self.metrics = metrics
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trib-scrape"
        thread.start()
    }

    /// Asks the thread to stop (it finishes a scrape under way first).
    func requestStop() {
        state.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Waits until the thread is gone, at most until `deadline`.
    func waitUntilStopped(deadline: DispatchTime) {
        if finished.wait(timeout: deadline) == .success { finished.signal() }
    }

    /// The target was removed: after its thread stops, every series it
    /// wrote (its own `up` and the rest too) gets a stale marker.
    func finish() {
        requestStop()
        waitUntilStopped(deadline: .now() + .seconds(2) + .nanoseconds(Self.nanoseconds(settings.timeout)))
        let timestamp = FileInput.now()
        var records = state.withLock { state in
            defer { state.previous = [:] }
            return state.previous.map { key, kind in Self.stale(key, kind, timestamp) }
        }
        let report = labeler.reportLabels
        for name in ["up", "scrape_duration_seconds", "scrape_samples_scraped"] {
            records.append(Self.stale(SeriesKey(name: name, labels: report), .gauge, timestamp))
        }
        submit(records)
    }

    private func run() {
        let interval = settings.interval
        // Targets are spread over the interval, each at the same offset at
        // every start (as Prometheus does), so many targets never scrape at
        // the same moment.
        var next = ContinuousClock.now + .nanoseconds(Int64(Self.offset(of: target, in: interval)))
        _ = wakeup.wait(timeout: .now() + .nanoseconds(Self.nanoseconds(next - ContinuousClock.now)))
        while !state.withLock({ $0.stopping }) {
            submit(scrapeOnce())
            next += interval
            let now = ContinuousClock.now
            if next < now { next = now + interval }
            _ = wakeup.wait(timeout: .now() + .nanoseconds(Self.nanoseconds(next - now)))
        }
        finished.signal()
    }

    /// A stable place in the interval for this target: FNV-1a of its URL
    /// and labels, modulo the interval.
    static func offset(of target: ScrapeTarget, in interval: Duration) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (target.url + target.labels.map(\.description).joined(separator: ",")).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let span = UInt64(max(1, Self.nanoseconds(interval)))
        return Int(hash % span)
    }

    /// One scrape's records: samples, stale markers, and the report series.
    func scrapeOnce() -> [Record] {
        let started = ContinuousClock.now
        let timestamp = FileInput.now()
        var records: [Record] = []
        var current: [SeriesKey: MetricKind] = [:]
        var scraped = 0
        var up = 1.0
        do throws(ScrapeFailure) {
            let samples = try scraper.scrape(target)
            scraped = samples.count
            records.reserveCapacity(samples.count + 3)
            var duplicates = 0
            for sample in samples {
                guard let labels = labeler.labels(sample.labels) else { continue }
                try Self.checkLabels(labels, of: sample.name, target: target)
                let kind: MetricKind = sample.kind == .counter ? .counter : .gauge
                let explicit = settings.honorTimestamps ? sample.timestamp : nil
                if explicit == nil {
                    let key = SeriesKey(name: sample.name, labels: labels)
                    guard current.updateValue(kind, forKey: key) == nil else {
                        duplicates += 1
                        continue
                    }
                }
                records.append(.metric(MetricSample(name: sample.name, labels: labels, timestamp: explicit ?? timestamp, value: sample.value, kind: kind)))
            }
            if duplicates > 0 { metrics.add("tributary_agent_input_errors_total", "scrape_duplicate_series", duplicates) }
            metrics.add("tributary_agent_scrapes_total", "ok")
            let recovered = state.withLock { state in
                defer { state.lastError = nil }
                return state.lastError != nil
            }
            if recovered { logger.notice("input \(input): \(target.url) is up again") }
        } catch {
            up = 0
            scraped = 0
            metrics.add("tributary_agent_scrapes_total", error.reason.rawValue)
            let changed = state.withLock { state in
                defer { state.lastError = error.message }
                return state.lastError != error.message
            }
            if changed { logger.error("input \(input): scrape failed (up = 0): \(error.message)") }
        }
        let gone = state.withLock { state in
            defer { state.previous = current }
            return state.previous.filter { current[$0.key] == nil }
        }
        for (key, kind) in gone { records.append(Self.stale(key, kind, timestamp)) }
        let seconds = Double(Self.nanoseconds(ContinuousClock.now - started)) / 1e9
        let report = labeler.reportLabels
        for (name, value) in [("up", up), ("scrape_duration_seconds", seconds), ("scrape_samples_scraped", Double(scraped))] {
            records.append(.metric(MetricSample(name: name, labels: report, timestamp: timestamp, value: value, kind: .gauge)))
        }
        return records
    }

    /// A series a node would refuse (too many labels, a name too long)
    /// fails the scrape, as Prometheus' `label_limit` does, rather than
    /// being dead-lettered record by record.
    static func checkLabels(_ labels: Labels, of name: String, target: ScrapeTarget) throws(ScrapeFailure) {
        let limits = WireLimits.default
        if labels.count > limits.maxLabelsPerSet {
            throw ScrapeFailure(reason: .labelLimit, message: "\(target.url): the series \(name) has \(labels.count) labels with the target's, "
                                + "more than the \(limits.maxLabelsPerSet) a record may carry: expose fewer labels, or set fewer in the input's labels")
        }
        if let long = labels.first(where: { $0.name.utf8.count > limits.maxLabelNameBytes }) {
            throw ScrapeFailure(reason: .labelLimit, message: "\(target.url): the series \(name) has a label name of \(long.name.utf8.count) bytes, "
                                + "more than the \(limits.maxLabelNameBytes) a record may carry")
        }
    }

    private func submit(_ records: [Record]) {
        guard !records.isEmpty else { return }
        guard batcher.accepting else {
            metrics.add("tributary_agent_dropped_total", "scrape_spool_full", records.count)
            return
        }
        var start = 0
        while start < records.count {
            let end = min(records.count, start + Self.submitChunk)
            batcher.submit(Array(records[start..<end]), input: input, bytes: (end - start) * 48)
            start = end
        }
    }

    private static func stale(_ key: SeriesKey, _ kind: MetricKind, _ timestamp: Int64) -> Record {
        .metric(MetricSample(name: key.name, labels: key.labels, timestamp: timestamp, value: staleMarker, kind: kind))
    }

    static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (scaled, overflow) = Int(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int.max / 2 : scaled + Int(attoseconds / 1_000_000_000)
    }
}
