import Foundation
import TributaryConfig
import TributaryCompression
import TributaryModel
import TributaryTLS
import TributaryWire

/// `trib agent --config agent.yaml`.
///
/// ```yaml
/// nodes: [node-a.example:7400, node-b.example:7400]
/// token: ${TRIB_TOKEN}            # the tenant's agent token (or a client certificate)
/// tls:                            # required unless `insecure: true`
///   ca: ca.pem                    # CAs that issued the nodes' certificates (default: system store)
///   certificate: agent.pem        # optional client certificate (mutual TLS)
///   key: agent.key
///   server_name: nodes.example    # optional: the name the nodes' certificates carry
/// state_dir: /var/lib/trib-agent  # agent id, spool, file checkpoints
/// central: {group: web}           # optional: run the group's central configuration
///                                 #   (`trib fleet config push`); this file then keeps only
///                                 #   nodes, token, tls, insecure, state_dir and central
/// spool:
///   max_bytes: 1GiB               # disk cap: beyond it, files and TCP pause, UDP drops (counted)
///   dead_letter_max_bytes: 64MiB  # state_dir/dead-letter.jsonl: records a node refused for good
/// batch:
///   max_bytes: 1MiB               # cut a batch at this many bytes of messages…
///   max_age: 1s                   # …or when its oldest record waited this long
///   compression_level: 1          # zlib 0 (none) … 9
///   max_record_age: 7d            # older timestamps are set to the receive time (original kept
///   max_record_future: 10m        #   in the field original_timestamp): match the nodes' limits
/// http_listen: 127.0.0.1:7402     # /metrics, /healthz, POST /api/v1/events
/// labels: {env: prod}             # added to everything; host defaults to this machine's name
/// fleet: {report_interval: 60s}   # how often the agent reports itself to the node (docs/fleet.md)
/// inputs:
///   - type: file
///     name: app                   # optional; names the input in metrics
///     paths: [/var/log/app/*.log]
///     exclude: [/var/log/app/debug.log]
///     start_at: beginning         # or end: files present at the very first start
///     max_line_bytes: 256KiB
///     multiline: {start: '^\d{4}-\d{2}-\d{2}', timeout: 1s, max_lines: 500}
///     parse: json                 # or logfmt
///     keep: ['ERROR|WARN']        # regexes; only matching lines are kept
///     drop: ['healthz']
///     redact: [{pattern: '\b\d{13,16}\b', replacement: '[card]'}]
///     labels: {app: shop}
///   - type: syslog
///     udp: 0.0.0.0:514
///     tcp: 0.0.0.0:514
///     tls: {listen: 0.0.0.0:6514, certificate: agent.pem, key: agent.key}
///     max_message_bytes: 64KiB
///     time_zone: local            # of RFC 3164 timestamps (which carry none): local (this host's,
///                                 #   as rsyslog), UTC, +05:30, or a name such as Europe/Berlin
///   - type: host_metrics
///     interval: 10s
///   - type: statsd
///     listen: 127.0.0.1:8125
///     flush_interval: 10s
///   - type: docker                # /var/lib/docker/containers/*/*-json.log
///   - type: prometheus            # scrapes /metrics endpoints (see PrometheusInputSettings)
///     targets: [127.0.0.1:9100]
/// ```
public struct AgentConfiguration: Sendable {
    public var nodes: [NodeAddress]
    public var token: String
    public var tls: TLSConfiguration?
    public var serverName: String?
    public var insecure: Bool
    public var stateDirectory: String
    public var spoolMaxBytes: Int
    /// Cap of `state_dir/dead-letter.jsonl` (one older generation is kept as `.1`).
    public var deadLetterMaxBytes = 64 << 20
    public var batch: BatchSettings
    public var httpHost: String
    public var httpPort: Int
    /// Agent-wide labels; `host` is always present.
    public var labels: [(key: String, value: String)]
    public var inputs: [InputConfiguration]
    /// `central.group`: the agent fetches that group's configuration from
    /// the nodes and runs it (`CentralConfiguration`); nil without `central:`.
    public var centralGroup: String?
    /// The central version this configuration was joined from (`CentralConfiguration.merge`);
    /// nil for the local file alone. Reported as REPORT's `config_version`.
    public var centralVersion: UInt64?
    /// `fleet.report_interval`: how often the agent sends its REPORT (docs/fleet.md).
    public var reportInterval: Duration = .seconds(60)
    /// A digest of the configuration file's bytes (64-bit FNV-1a, 16 hex
    /// digits), reported to the nodes so `trib fleet list` shows which
    /// agents run the same file; empty for a configuration not read from a file.
    public var configHash = ""

    public init(nodes: [NodeAddress], token: String, tls: TLSConfiguration?, stateDirectory: String, inputs: [InputConfiguration],
                labels: [(key: String, value: String)] = [], spoolMaxBytes: Int = 1 << 30, batch: BatchSettings = BatchSettings(),
                httpHost: String = "127.0.0.1", httpPort: Int = 0, serverName: String? = nil) {
        self.nodes = nodes
        self.token = token
        self.tls = tls
        self.serverName = serverName
        self.insecure = tls == nil
        self.stateDirectory = stateDirectory
        self.spoolMaxBytes = spoolMaxBytes
        self.batch = batch
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.labels = labels
        self.inputs = inputs
    }

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> AgentConfiguration {
        let reader = try ConfigReader.load(path: path, environment: environment)
        var configuration = try read(reader, relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        if let bytes = FileManager.default.contents(atPath: path) { configuration.configHash = fnv1a(bytes) }
        return configuration
    }

    public static func read(_ reader: ConfigReader, relativeTo base: String) throws(ConfigError) -> AgentConfiguration {
        let nodeTexts = try reader.stringList("nodes", expected: "node addresses (host:port)")
        guard !nodeTexts.isEmpty else {
            throw reader.error("nodes", "is required: the nodes' agent addresses, e.g. [node-a.example:7400]")
        }
        var nodes: [NodeAddress] = []
        for text in nodeTexts {
            guard let (host, port) = ConfigUnits.hostPort(text), port > 0 else {
                throw reader.error("nodes", "expected host:port such as node-a.example:7400, found \"\(text)\"")
            }
            nodes.append(NodeAddress(host: host, port: port))
        }
        let token = try reader.string("token", default: "")
        let insecure = try reader.bool("insecure", default: false)
        var tls: TLSConfiguration?
        var serverName: String?
        if let section = try reader.section("tls") {
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = try section.string("ca").map { resolve($0, base) }
            configuration.certificateChainFile = try section.string("certificate").map { resolve($0, base) }
            configuration.privateKeyFile = try section.string("key").map { resolve($0, base) }
            configuration.privateKeyPassphraseFile = try section.string("key_passphrase_file").map { resolve($0, base) }
            if (configuration.certificateChainFile == nil) != (configuration.privateKeyFile == nil) {
                throw section.error(configuration.certificateChainFile == nil ? "certificate" : "key",
                                    "a client certificate needs both tls.certificate and tls.key")
            }
            serverName = try section.string("server_name")
            try section.finish()
            tls = configuration
        }
        if tls == nil && !insecure {
            throw reader.error(nil, "tls: is required (at least tls.ca, the CA that issued the nodes' certificates); set insecure: true only for plain TCP on a trusted network")
        }
        if tls != nil && insecure {
            throw reader.error("insecure", "is true but a tls section is configured: choose one")
        }
        if token.isEmpty && tls?.certificateChainFile == nil {
            throw reader.error("token", "is required unless the agent authenticates with a client certificate (tls.certificate and tls.key)")
        }
        let stateDirectory = resolve(try reader.requiredString("state_dir", expected: "a directory for the agent id, spool and file checkpoints, e.g. /var/lib/trib-agent"), base)
        var spoolMaxBytes = 1 << 30
        var deadLetterMaxBytes = 64 << 20
        if let section = try reader.section("spool") {
            spoolMaxBytes = try section.bytes("max_bytes", default: spoolMaxBytes, range: (1 << 20)...Int.max)
            deadLetterMaxBytes = try section.bytes("dead_letter_max_bytes", default: deadLetterMaxBytes, range: (64 << 10)...Int.max)
            try section.finish()
        }
        var batch = BatchSettings()
        if let section = try reader.section("batch") {
            batch.maxBatchBytes = try section.bytes("max_bytes", default: batch.maxBatchBytes, range: 4096...(16 << 20))
            batch.maxBatchAge = try section.duration("max_age", default: batch.maxBatchAge)
            let level = try section.int("compression_level", default: 1, range: 0...9)
            batch.compression = level == 0 ? nil : CompressionLevel(level)
            batch.maxRecordAge = try nanoseconds(section.duration("max_record_age", default: .nanoseconds(batch.maxRecordAge)))
            batch.maxRecordFuture = try nanoseconds(section.duration("max_record_future", default: .nanoseconds(batch.maxRecordFuture)))
            try section.finish()
        }
        batch.maxPendingBytes = max(batch.maxPendingBytes, 4 * batch.maxBatchBytes)
        let http = try reader.string("http_listen", default: "127.0.0.1:7402")
        guard let (httpHost, httpPort) = ConfigUnits.hostPort(http) else {
            throw reader.error("http_listen", "expected host:port such as 127.0.0.1:7402, found \"\(http)\"")
        }
        let labels = try labelPairs(reader, "labels")
        var centralGroup: String?
        if let section = try reader.section("central") {
            let group = try section.requiredString("group", expected: "the configuration group this agent belongs to, e.g. web")
            guard ConfigRequest.isValidGroup(group) else {
                throw section.error("group", "\"\(group)\" must be 1–64 letters, digits, '.', '_' or '-'")
            }
            try section.finish()
            centralGroup = group
        }
        var reportInterval = Duration.seconds(60)
        if let section = try reader.section("fleet") {
            reportInterval = try section.duration("report_interval", default: reportInterval)
            guard reportInterval >= .milliseconds(100) else {
                throw section.error("report_interval", "must be at least 100ms (the default, 60s, suits fleets of thousands)")
            }
            try section.finish()
        }
        var inputs: [InputConfiguration] = []
        let sections = try reader.sections("inputs")
        if sections.isEmpty && centralGroup == nil {
            throw reader.error("inputs", "is required: at least one input (file, syslog, host_metrics, statsd, docker or prometheus), or central: {group: NAME} to run a central configuration")
        }
        for (index, section) in sections.enumerated() {
            inputs.append(try InputConfiguration.read(section, index: index, relativeTo: base))
        }
        let names = inputs.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw reader.error("inputs", "two inputs are named \"\(duplicate)\"; give each a distinct name")
        }
        try reader.finish()
        var configuration = AgentConfiguration(
            nodes: nodes, token: token, tls: tls, stateDirectory: stateDirectory, inputs: inputs, labels: labels,
            spoolMaxBytes: spoolMaxBytes, batch: batch, httpHost: httpHost, httpPort: httpPort, serverName: serverName)
        configuration.insecure = insecure
        configuration.deadLetterMaxBytes = deadLetterMaxBytes
        configuration.centralGroup = centralGroup
        configuration.reportInterval = reportInterval
        return configuration
    }

    /// 64-bit FNV-1a of `bytes` as 16 hex digits.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    static func labelPairs(_ reader: ConfigReader, _ key: String) throws(ConfigError) -> [(key: String, value: String)] {
        let pairs = try reader.stringMap(key, expected: "label names to values")
        for pair in pairs where !Label.isValidName(pair.key) {
            throw reader.error(key, "\"\(pair.key)\" is not a label name: use letters, digits and _, not starting with a digit")
        }
        return pairs
    }

    static func resolve(_ path: String, _ base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
