import Foundation
import Synchronization
import TributaryDurability
import TributaryModel
import TributaryPatterns
import TributaryQuery

/// Mines the node's stored log lines into patterns per tenant and stream
/// group, counts them per time bucket, and answers the pattern queries.
///
/// Mining happens on the ingest path after a batch is durable (so it never
/// delays a query; it costs ingest about 0.5 µs of CPU per line), under one lock.
/// Groups beyond `maxGroups` are forgotten least recently written first.
public final class LogPatternRecorder: Sendable {
    /// The metric name of the per-pattern line counts (PromQL).
    public static let metricName = "tributary_log_pattern_lines"

    private struct State {
        var groups: [GroupKey: LogPatternGroup] = [:]
        var clock: UInt64 = 0
    }

    private struct GroupKey: Hashable {
        var tenant: String
        var labels: Labels
    }

    public let settings: LogPatternSettings
    private let path: String?
    private let state: Mutex<State>

    /// Opens the state in `directory` (nil: memory only). A state file that
    /// cannot be read gives a warning and an empty start, never a failure:
    /// patterns are derived data.
    public static func open(directory: String?, settings: LogPatternSettings = LogPatternSettings()) -> (LogPatternRecorder, warning: String?) {
        let path = directory.map { $0 + "/" + LogPatternStateFile.name }
        var state = State()
        var warning: String?
        if let path {
            do {
                if let bytes = try DurableFile.readIfPresent(path, maxBytes: 256 << 20) {
                    let file = try JSONDecoder().decode(LogPatternStateFile.self, from: Data(bytes))
                    guard file.version == LogPatternStateFile.version else {
                        throw LogPatternStateError(description: "version \(file.version), this node reads version \(LogPatternStateFile.version)")
                    }
                    state = Self.restore(file, settings: settings)
                }
            } catch {
                warning = "log patterns: \(path) could not be read (\(error)); starting with no patterns (they are mined again from new lines; delete the file to silence this)"
            }
        }
        return (LogPatternRecorder(path: path, settings: settings, state: state), warning)
    }

    private init(path: String?, settings: LogPatternSettings, state: sending State) {
        self.path = path
        self.settings = settings
        self.state = Mutex(state)
    }

    /// Mines the log lines of stored records.
    public func observe(_ records: [Record], tenant: String) {
        let settings = self.settings
        state.withLock { state in
            for record in records {
                guard case .log(let log) = record else { continue }
                let key = GroupKey(tenant: tenant, labels: LogPatternGroup.groupLabels(of: log.labels))
                state.clock &+= 1
                let group: LogPatternGroup
                if let existing = state.groups[key] {
                    group = existing
                } else {
                    group = LogPatternGroup(tenant: tenant, labels: key.labels, configuration: settings.miner)
                    // Stamped before the cap is applied, so the new group is not the one forgotten.
                    group.lastUsed = state.clock
                    state.groups[key] = group
                    if state.groups.count > settings.maxGroups, let oldest = state.groups.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                        state.groups[oldest.key] = nil
                    }
                }
                group.lastUsed = state.clock
                log.message.withUnsafeReadableBytes { raw in
                    group.observe(raw.bindMemory(to: UInt8.self), timestamp: log.timestamp, settings: settings)
                }
            }
        }
    }

    /// The patterns of the tenant's groups whose labels match `matchers`,
    /// with lines per `step` in [from, to] (ns), most lines first.
    public func summaries(tenant: String, matchers: [LabelMatcher], from: Int64, to: Int64, step: Int64) -> [LogPatternSummary] {
        let settings = self.settings
        let step = max(step, settings.bucketNanoseconds)
        return state.withLock { state in
            var result: [LogPatternSummary] = []
            for (key, group) in state.groups where key.tenant == tenant && matchers.allSatisfy({ $0.matches(key.labels) }) {
                group.consolidate(settings)
                for (id, counts) in group.counts {
                    guard let template = group.miner.template(id) else { continue }
                    var samples: [(Int64, Int)] = []
                    for bucket in counts.buckets where bucket.start >= LogPatternCounts.floor(from, settings.bucketNanoseconds) && bucket.start <= to {
                        let start = LogPatternCounts.floor(bucket.start, step)
                        if let last = samples.last, last.0 == start { samples[samples.count - 1].1 += bucket.lines } else { samples.append((start, bucket.lines)) }
                    }
                    let lines = samples.reduce(0) { $0 + $1.1 }
                    guard lines > 0 else { continue }
                    result.append(LogPatternSummary(id: id, group: key.labels, pattern: template.text, firstSeen: counts.firstSeen,
                                                    lines: lines, samples: samples))
                }
            }
            return result.sorted { $0.lines != $1.lines ? $0.lines > $1.lines : $0.id < $1.id }
        }
    }

    /// `tributary_log_pattern_lines{<group labels>, pattern_id}`: lines of
    /// each pattern per bucket, as a sample at the bucket's end, for the
    /// series matching `matchers` with points in [from, to].
    public func series(tenant: String, matching matchers: [LabelMatcher], from: Int64, to: Int64) -> [MetricSeries] {
        let settings = self.settings
        return state.withLock { state in
            var result: [MetricSeries] = []
            for (key, group) in state.groups where key.tenant == tenant {
                group.consolidate(settings)
                for (id, counts) in group.counts {
                    guard let labels = try? key.labels.setting("__name__", to: Self.metricName).setting("pattern_id", to: String(id)),
                          matchers.allSatisfy({ $0.matches(labels) }) else { continue }
                    var timestamps: [Int64] = []
                    var values: [Double] = []
                    for bucket in counts.buckets {
                        let (end, overflow) = bucket.start.addingReportingOverflow(settings.bucketNanoseconds)
                        guard !overflow, end >= from, end <= to else { continue }
                        timestamps.append(end)
                        values.append(Double(bucket.lines))
                    }
                    if !timestamps.isEmpty { result.append(MetricSeries(labels: labels, timestamps: timestamps, values: values)) }
                }
            }
            return result
        }
    }

    /// The pattern text of an id in the tenant's groups, if known.
    public func pattern(tenant: String, id: UInt64) -> String? {
        state.withLock { state in
            for (key, group) in state.groups where key.tenant == tenant {
                if let template = group.miner.template(id), template.id == id { return template.text }
            }
            return nil
        }
    }

    /// Writes the state file atomically (no-op without a directory).
    public func save() throws {
        guard let path else { return }
        let settings = self.settings
        let file = state.withLock { state in
            LogPatternStateFile(version: LogPatternStateFile.version, groups: state.groups.map { key, group in
                group.consolidate(settings)
                let templates = group.miner.templates().compactMap { entry -> LogPatternStateFile.Template? in
                    guard let counts = group.counts[entry.template.id] else { return nil }
                    return LogPatternStateFile.template(entry.template, lines: entry.lines, counts: counts)
                }
                return LogPatternStateFile.Group(
                    tenant: key.tenant, labels: Dictionary(uniqueKeysWithValues: key.labels.map { ($0.name, $0.value) }), templates: templates
                )
            })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try DurableFile.replace(path, with: [UInt8](try encoder.encode(file)))
    }

    private static func restore(_ file: LogPatternStateFile, settings: LogPatternSettings) -> State {
        var state = State()
        for saved in file.groups.prefix(settings.maxGroups) {
            guard let labels = try? Labels(saved.labels) else { continue }
            let group = LogPatternGroup(tenant: saved.tenant, labels: labels, configuration: settings.miner)
            for template in saved.templates.prefix(settings.miner.maxTemplates) {
                let (restored, counts) = LogPatternStateFile.restore(template)
                group.miner.restore(restored, lines: template.lines)
                group.counts[restored.id] = counts
            }
            state.groups[GroupKey(tenant: saved.tenant, labels: labels)] = group
        }
        return state
    }
}
