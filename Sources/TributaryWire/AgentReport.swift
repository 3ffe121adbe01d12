/// REPORT (`0x30`, `proto/PROTOCOL.md` 4.10): what an agent says about
/// itself for the fleet inventory, sent after WELCOME when both peers
/// announced `Capabilities.report`, then again every report interval.
///
/// The body is a list of tagged fields (`AgentReport.Tag`) so later
/// versions add fields that older receivers skip; a field missing from a
/// report reads as empty or zero here.
public struct AgentReport: Hashable, Sendable {
    public var host: String = ""
    public var os: String = ""
    public var kernel: String = ""
    /// The agent's software version, e.g. `0.1.0`.
    public var version: String = ""
    /// When this agent process started, milliseconds since the Unix epoch.
    public var startedMilliseconds: UInt64 = 0
    /// A digest of the configuration the agent runs.
    public var configHash: String = ""
    /// The centrally managed configuration version applied; nil without central configuration.
    public var configVersion: String?
    /// Why the last central configuration was not applied; nil when none failed.
    public var configError: String?
    public var spoolBytes: UInt64 = 0
    /// Age of the oldest batch not yet acknowledged, milliseconds (0: none).
    public var oldestUnackedMilliseconds: UInt64 = 0
    public var lastError: String?
    /// The agent's `labels:` (name → value).
    public var labels: [String: String] = [:]
    public var inputs: [Input] = []
    /// Records the agent lost for good since it started (refused for good, spool full, series limits).
    public var droppedRecords: UInt64 = 0
    /// Of those, datagrams UDP inputs dropped because the spool was full.
    public var udpDroppedRecords: UInt64 = 0

    public init() {}

    /// One configured input and how it fares.
    public struct Input: Hashable, Sendable {
        public var name: String
        /// `file`, `syslog`, `statsd`, `host_metrics`, `docker`, `prometheus`.
        public var type: String
        /// `running`, `paused` (spool full) or `failed: …`.
        public var state: String
        /// Records read since the agent started.
        public var records: UInt64

        public init(name: String, type: String, state: String, records: UInt64) {
            self.name = name
            self.type = type
            self.state = state
            self.records = records
        }
    }

    /// Field tags of the REPORT body. Assigned numbers are never reused.
    public enum Tag {
        public static let host: UInt64 = 1
        public static let os: UInt64 = 2
        public static let kernel: UInt64 = 3
        public static let version: UInt64 = 4
        public static let startedMilliseconds: UInt64 = 5
        public static let configHash: UInt64 = 6
        public static let configVersion: UInt64 = 7
        public static let configError: UInt64 = 8
        public static let spoolBytes: UInt64 = 9
        public static let oldestUnackedMilliseconds: UInt64 = 10
        public static let lastError: UInt64 = 11
        public static let labels: UInt64 = 12
        public static let inputs: UInt64 = 13
        public static let droppedRecords: UInt64 = 14
        public static let udpDroppedRecords: UInt64 = 15
    }

    /// Most fields in one REPORT, most labels, most inputs, largest field value.
    public static let maxFields = 64
    public static let maxLabels = 64
    public static let maxInputs = 256
    public static let maxFieldBytes = 65_536
}
