/// One agent in `GET /api/v1/fleet` (and `/api/v1/fleet/agents/{id}`):
/// what it last reported (REPORT frame) and when it was last heard from.
/// Agents that predate REPORT appear with what their HELLO says (host,
/// version) and empty report fields (`reports` false).
///
/// Optional fields are written as `null`, never left out, so clients can
/// rely on every key being present.
public struct FleetAgent: Codable, Sendable, Equatable {
    public var id: String
    public var host: String
    public var os: String
    public var kernel: String
    public var version: String
    /// `up` (heard from within `fleet.missing_after`) or `missing`.
    public var state: String
    /// RFC 3339: the last frame from the agent (batch, report, ping) on any node.
    public var lastSeen: String
    /// RFC 3339: when the agent process started; nil before its first report.
    public var started: String?
    public var configHash: String
    public var configVersion: String?
    public var configError: String?
    public var spoolBytes: UInt64
    /// Age of its oldest unacknowledged batch, seconds.
    public var oldestUnackedSeconds: Double
    public var lastError: String?
    public var labels: [String: String]
    public var inputs: [FleetInput]
    /// The node it is (or was last) connected to.
    public var node: String
    /// Whether a connection to `node` is open now.
    public var connected: Bool
    /// Whether the agent sends REPORT frames (false: an older agent).
    public var reports: Bool
    /// Records lost for good since the agent started, and of those UDP datagrams dropped (spool full).
    public var droppedRecords: UInt64
    public var udpDroppedRecords: UInt64
    /// RFC 3339: when any node of the cluster first heard from it (since that node started).
    public var firstSeen: String
    /// RFC 3339: when a node first saw this agent process report lost records (other than UDP), and UDP drops.
    public var dropSince: String?
    public var udpDropSince: String?
    /// The batch sequences answered, as runs (at most 32 per node); holes are `sequence_gap` findings.
    public var sequences: [FleetSequenceRun]

    public init(id: String, host: String, os: String, kernel: String, version: String, state: String, lastSeen: String,
                started: String?, configHash: String, configVersion: String?, configError: String?, spoolBytes: UInt64,
                oldestUnackedSeconds: Double, lastError: String?, labels: [String: String], inputs: [FleetInput], node: String,
                connected: Bool, reports: Bool, droppedRecords: UInt64, udpDroppedRecords: UInt64, firstSeen: String,
                dropSince: String? = nil, udpDropSince: String? = nil, sequences: [FleetSequenceRun] = []) {
        self.sequences = sequences
        self.id = id
        self.host = host
        self.os = os
        self.kernel = kernel
        self.version = version
        self.state = state
        self.lastSeen = lastSeen
        self.started = started
        self.configHash = configHash
        self.configVersion = configVersion
        self.configError = configError
        self.spoolBytes = spoolBytes
        self.oldestUnackedSeconds = oldestUnackedSeconds
        self.lastError = lastError
        self.labels = labels
        self.inputs = inputs
        self.node = node
        self.connected = connected
        self.reports = reports
        self.droppedRecords = droppedRecords
        self.udpDroppedRecords = udpDroppedRecords
        self.firstSeen = firstSeen
        self.dropSince = dropSince
        self.udpDropSince = udpDropSince
    }

    enum CodingKeys: String, CodingKey {
        case id, host, os, kernel, version, state, started, labels, inputs, node, connected, reports
        case lastSeen = "last_seen", configHash = "config_hash", configVersion = "config_version", configError = "config_error"
        case spoolBytes = "spool_bytes", oldestUnackedSeconds = "oldest_unacked_s", lastError = "last_error"
        case droppedRecords = "dropped_records", udpDroppedRecords = "udp_dropped_records", firstSeen = "first_seen"
        case dropSince = "drop_since", udpDropSince = "udp_drop_since", sequences
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        host = try container.decode(String.self, forKey: .host)
        os = try container.decode(String.self, forKey: .os)
        kernel = try container.decode(String.self, forKey: .kernel)
        version = try container.decode(String.self, forKey: .version)
        state = try container.decode(String.self, forKey: .state)
        lastSeen = try container.decode(String.self, forKey: .lastSeen)
        started = try container.decodeIfPresent(String.self, forKey: .started)
        configHash = try container.decode(String.self, forKey: .configHash)
        configVersion = try container.decodeIfPresent(String.self, forKey: .configVersion)
        configError = try container.decodeIfPresent(String.self, forKey: .configError)
        spoolBytes = try container.decode(UInt64.self, forKey: .spoolBytes)
        oldestUnackedSeconds = try container.decode(Double.self, forKey: .oldestUnackedSeconds)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        labels = try container.decode([String: String].self, forKey: .labels)
        inputs = try container.decode([FleetInput].self, forKey: .inputs)
        node = try container.decode(String.self, forKey: .node)
        connected = try container.decode(Bool.self, forKey: .connected)
        reports = try container.decode(Bool.self, forKey: .reports)
        droppedRecords = try container.decode(UInt64.self, forKey: .droppedRecords)
        udpDroppedRecords = try container.decode(UInt64.self, forKey: .udpDroppedRecords)
        firstSeen = try container.decode(String.self, forKey: .firstSeen)
        dropSince = try container.decodeIfPresent(String.self, forKey: .dropSince)
        udpDropSince = try container.decodeIfPresent(String.self, forKey: .udpDropSince)
        // Absent from nodes that predate it.
        sequences = try container.decodeIfPresent([FleetSequenceRun].self, forKey: .sequences) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(host, forKey: .host)
        try container.encode(os, forKey: .os)
        try container.encode(kernel, forKey: .kernel)
        try container.encode(version, forKey: .version)
        try container.encode(state, forKey: .state)
        try container.encode(lastSeen, forKey: .lastSeen)
        try container.encode(started, forKey: .started)
        try container.encode(configHash, forKey: .configHash)
        try container.encode(configVersion, forKey: .configVersion)
        try container.encode(configError, forKey: .configError)
        try container.encode(spoolBytes, forKey: .spoolBytes)
        try container.encode(oldestUnackedSeconds, forKey: .oldestUnackedSeconds)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(labels, forKey: .labels)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(node, forKey: .node)
        try container.encode(connected, forKey: .connected)
        try container.encode(reports, forKey: .reports)
        try container.encode(droppedRecords, forKey: .droppedRecords)
        try container.encode(udpDroppedRecords, forKey: .udpDroppedRecords)
        try container.encode(firstSeen, forKey: .firstSeen)
        try container.encode(dropSince, forKey: .dropSince)
        try container.encode(udpDropSince, forKey: .udpDropSince)
        try container.encode(sequences, forKey: .sequences)
    }
}
