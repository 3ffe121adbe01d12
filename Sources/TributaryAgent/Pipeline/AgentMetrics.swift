import Foundation
import Synchronization
import TributaryModel
import TributaryTelemetry

/// The agent's counters and gauges, updated from every input, the batcher
/// and the forwarder, and rendered as Prometheus text on `/metrics`.
///
/// Series are (name, one label) pairs; a label value a peer controls (the
/// syslog source address) is capped at `maxLabelValues` per metric, beyond
/// which it counts under `other`, so memory stays bounded.
public final class AgentMetrics: Sendable {
    public static let maxLabelValues = 1000

    struct Series: Hashable { var name: String; var label: String; var value: String }

    private struct State {
        var counters: [Series: Int] = [:]
        var valuesPerName: [String: Int] = [:]
        /// Per spooled batch: records per input, and when it was spooled.
        var batches: [UInt64: (inputs: [String: Int], spooledAt: Double)] = [:]
        var connections: [String: String] = [:]
        /// The last problem worth an operator's look, for the agent's REPORT.
        var lastError: String?
    }

    /// name → (help, type, label) for the page.
    static let catalogue: [String: (help: String, type: String, label: String)] = [
        "tributary_agent_records_in_total": ("Records read by each input, after processing.", "counter", "input"),
        "tributary_agent_bytes_in_total": ("Message bytes read by each input.", "counter", "input"),
        "tributary_agent_records_out_total": ("Records a node acknowledged, by input (since this agent started).", "counter", "input"),
        "tributary_agent_filtered_total": ("Records dropped on purpose by keep/drop rules, by input.", "counter", "input"),
        "tributary_agent_dropped_total": ("Records lost, by reason (udp_spool_full, permanent_nack, statsd_series_limit, scrape_spool_full).", "counter", "reason"),
        "tributary_agent_dead_letter_total": ("Records a node refused for good, isolated and written to state_dir/dead-letter.jsonl, by NACK code.", "counter", "reason"),
        "tributary_agent_repaired_total": ("Records repaired before sending, by what: timestamp (out of the node's bounds: set to the receive time), message, label, field_name, field_value, fields (cut to the limits).", "counter", "reason"),
        "tributary_agent_lines_split_total": ("Lines longer than max_line_bytes, delivered in flagged parts, by input.", "counter", "input"),
        "tributary_agent_input_errors_total": ("Input problems (unreadable file, bad syslog frame, …), by kind.", "counter", "kind"),
        "tributary_agent_syslog_messages_total": ("Syslog messages by sender address.", "counter", "source"),
        "tributary_agent_syslog_format_total": ("Syslog messages by format: rfc5424, rfc3164, raw (neither RFC, kept as they came).", "counter", "format"),
        "tributary_agent_batches_total": ("Batches by outcome: spooled, sent, acknowledged, busy, retry, refused.", "counter", "outcome"),
        "tributary_agent_connections_total": ("Connection attempts to nodes, by result.", "counter", "result"),
        "tributary_agent_spool_quarantined_total": ("Damaged spool segments renamed .corrupt at start.", "counter", "kind"),
        "tributary_agent_scrapes_total": ("Scrapes of prometheus inputs' targets, by result: ok, or why they failed (connect, timeout, tls, credentials, http_status, body_size_limit, sample_limit, label_limit, parse).", "counter", "result"),
    ]

    private let state = Mutex(State())
    private let spool: Spool?

    public init(spool: Spool?) {
        self.spool = spool
    }

    public func add(_ name: String, _ value: String, _ amount: Int = 1) {
        state.withLock { state in
            let label = Self.catalogue[name]?.label ?? "kind"
            var series = Series(name: name, label: label, value: value)
            if state.counters[series] == nil {
                if state.valuesPerName[name, default: 0] >= Self.maxLabelValues {
                    series.value = "other"
                } else {
                    state.valuesPerName[name, default: 0] += 1
                }
            }
            state.counters[series, default: 0] += amount
            if name == "tributary_agent_input_errors_total" { state.lastError = "input error: \(value)" }
        }
    }

    /// Remembers `message` as the agent's last error (shown by `trib fleet show`).
    func noteError(_ message: String) {
        state.withLock { $0.lastError = message.truncatedUTF8(toBytes: 1000) }
    }

    var lastError: String? { state.withLock { $0.lastError } }

    /// The sum of a counter over all its label values.
    public func total(_ name: String) -> Int {
        state.withLock { state in state.counters.filter { $0.key.name == name }.reduce(0) { $0 + $1.value } }
    }

    public func value(_ name: String, _ value: String) -> Int {
        state.withLock { state in
            state.counters[Series(name: name, label: Self.catalogue[name]?.label ?? "kind", value: value)] ?? 0
        }
    }

    func spooled(_ sequence: UInt64, inputs: [String: Int]) {
        state.withLock { state in
            state.batches[sequence] = (inputs, Date().timeIntervalSince1970)
        }
        add("tributary_agent_batches_total", "spooled")
    }

    /// A node acknowledged the batch: its records count as out.
    func delivered(_ sequence: UInt64) {
        let inputs = state.withLock { $0.batches.removeValue(forKey: sequence)?.inputs } ?? [:]
        for (input, count) in inputs { add("tributary_agent_records_out_total", input, count) }
    }

    /// The batch left the spool without being acknowledged (refused for
    /// good, or split): its records do not count as out.
    func discarded(_ sequence: UInt64) {
        _ = state.withLock { $0.batches.removeValue(forKey: sequence) }
    }

    /// A refused batch was split into `parts` (sequence, records): each
    /// part takes over as many of its records per input, in the order of
    /// the inputs' names (a batch does not record which record came from
    /// which input, so per-input figures of split batches are approximate;
    /// totals are exact).
    func split(_ sequence: UInt64, into parts: [(sequence: UInt64, records: Int)]) {
        state.withLock { state in
            guard let parent = state.batches.removeValue(forKey: sequence) else { return }
            var remaining = parent.inputs.sorted { $0.key < $1.key }
            for part in parts {
                var need = part.records
                var inputs: [String: Int] = [:]
                while need > 0, !remaining.isEmpty {
                    let take = min(need, remaining[0].value)
                    inputs[remaining[0].key, default: 0] += take
                    need -= take
                    remaining[0].value -= take
                    if remaining[0].value == 0 { remaining.removeFirst() }
                }
                state.batches[part.sequence] = (inputs, parent.spooledAt)
            }
        }
    }

    func connection(_ node: String, _ description: String) {
        state.withLock { $0.connections[node] = description }
    }

    /// Whether a node has welcomed the agent on its current connection.
    public var anyNodeConnected: Bool {
        state.withLock { $0.connections.values.contains("connected") }
    }

    /// Seconds the oldest batch of this run has waited for its ACK.
    public var lagSeconds: Double {
        state.withLock { state in
            guard let oldest = state.batches.values.map(\.spooledAt).min() else { return 0 }
            return max(0, Date().timeIntervalSince1970 - oldest)
        }
    }

    public func page() -> String {
        let (counters, connections) = state.withLock { ($0.counters, $0.connections) }
        var text = PrometheusText()
        var byName: [String: [String: Int]] = [:]
        for (series, value) in counters { byName[series.name, default: [:]][series.value] = value }
        for (name, entry) in Self.catalogue.sorted(by: { $0.key < $1.key }) {
            text.counter(name, entry.help, labelled: entry.label, byName[name] ?? [:])
        }
        if let spool {
            text.gauge("tributary_agent_spool_bytes", "Bytes in the disk spool.", spool.usedBytes)
            text.gauge("tributary_agent_spool_max_bytes", "The spool's size cap (spool.max_bytes).", spool.maxBytes)
            text.gauge("tributary_agent_spool_batches", "Batches in the spool waiting for an acknowledgement.", spool.pendingCount)
        }
        text.gauge("tributary_agent_lag_milliseconds", "How long the oldest unacknowledged batch has waited.", Int(lagSeconds * 1000))
        let states = ["down", "connecting", "connected", "draining", "busy"]
        var series: [(labels: [(String, String)], value: Int)] = []
        for (node, current) in connections.sorted(by: { $0.key < $1.key }) {
            for candidate in states { series.append(([("node", node), ("state", candidate)], candidate == current ? 1 : 0)) }
        }
        text.gauge("tributary_agent_node_connection", "1 for each node's current connection state.", series: series)
        return text.output
    }
}
