import Foundation
import TributaryAlerting
import TributaryCluster
import TributaryConfig
import TributaryStorage
import TributaryPush
import TributaryTLS
import TributaryWire

/// `trib node --config node.yaml`: what a node listens on, where it keeps
/// its data, how it secures and authenticates connections.
///
/// ```yaml
/// node_id: node-a
/// listen: 0.0.0.0:7400            # the wire protocol (agents)
/// http_listen: 127.0.0.1:7401     # HTTPS (the tls: files): queries, /metrics, /healthz, /readyz
/// data_dir: /var/lib/tributary
/// http:
///   metrics_auth: true            # GET /metrics needs credentials (any role); false: open
/// storage:
///   partition_span: 1h            # width of a time partition
///   seal_grace: 10m               # a partition is sealed this long after its bucket ends
///   retention: 30d                # default for tenants without their own
///   max_disk_bytes: 500GiB        # data_dir limit: BUSY beyond it (default: none)
///   min_free_bytes: 1GiB          # BUSY when the file system has less free (default 256MiB)
///   max_head_bytes: 256MiB        # memory for records not yet in blocks
///   flush_interval: 10s           # heads are written to blocks at least this often
/// tls:                            # required unless `insecure: true`; agents and HTTP
///   certificate: node-a.pem       # relative paths: from this file's directory
///   key: node-a.key
///   key_passphrase_file: pass.txt # optional, for an encrypted key
///   ca: ca.pem                    # CAs for client certificates
///   require_client_certificate: false
/// tenants:
///   - name: acme
///     tokens:                     # a plain token has the roles ingest and query
///       - "${ACME_TOKEN}"         # ${VAR} comes from the environment
///       - {token: "${ACME_GRAFANA}", roles: [query]}
///       - {token: "${OPS_TOKEN}", roles: [admin]}   # roles: ingest, query, admin
///     certificate_names: [agent-1] # or {name: agent-1, roles: [ingest]}
///     retention: 90d              # optional, overrides storage.retention
///     limits:                     # optional, per node
///       ingest_bytes_per_second: 50MiB   # batch bytes as sent (compressed); BUSY beyond
///       ingest_burst_bytes: 100MiB       # default: one second's worth
/// limits:
///   max_frame_bytes: 8MiB
///   max_batch_records: 100000
///   max_batch_bytes: 64MiB
///   window: 16
///   max_record_age: 7d            # older records: the batch is refused (TOO_OLD)
///   max_record_future: 10m        # records further ahead: refused (TOO_NEW)
/// cluster:                        # optional: see `ClusterSettings`
///   topology: topology.yaml
///   peer_listen: 0.0.0.0:7410
/// rules: [rules/*.yaml]           # optional: Prometheus rule files (see `AlertingSettings`)
/// alerting:                       # optional: Alertmanagers and webhooks (see `AlertingSettings`)
///   alertmanagers: [http://127.0.0.1:9093]
/// push:                           # optional: limits of the push APIs (Loki, remote write, OTLP)
///   max_body_bytes: 16MiB         # a request body as sent; larger: 413
///   max_decompressed_bytes: 64MiB # once snappy/gzip-decoded; larger: 413 (checked before inflating)
///   max_series_per_request: 100000  # streams / series in one request; more: 413
///   max_labels_per_series: 64     # more: 400
///   max_records_per_request: 1000000 # lines / samples in one request; more: 413
/// query:                          # optional: see `QuerySettings`
///   timeout: 2m                   # a query still running is stopped: 503 "timeout"
///   max_concurrency: 4            # queries running at once (and query threads)
///   max_samples: 50000000         # samples a metric query may read or hold; more: 422
///   max_concurrency_per_tenant: 2 # a tenant's queries running or waiting; more: 429
///   queue_timeout: 10s            # wait for a free slot, then 503 "too many queries"
/// ```
public struct NodeConfiguration: Sendable {
    public var nodeID: String
    public var listenHost: String
    public var listenPort: Int
    public var dataDirectory: String
    /// Plain TCP: only with `insecure: true`, and logged as a warning.
    public var insecure: Bool
    public var tls: TLSConfiguration?
    public var credentials: IngestCredentials
    public var limits: WireLimits
    public var window: Int
    public var recordBounds: RecordBounds
    public var httpHost: String
    public var httpPort: Int
    public var storage: PartitionSettings
    /// 0: no limit.
    public var maxDiskBytes: Int
    public var minFreeBytes: Int
    /// Nil for a node on its own.
    public var cluster: ClusterSettings?
    /// `http:`: whether `/metrics` needs credentials.
    public var http = NodeHTTPSettings()
    /// `tenants[].limits`, by tenant; tenants without limits are absent.
    public var tenantLimits: [String: TenantLimits] = [:]
    /// Query deadline and concurrency limits.
    public var query = QuerySettings()
    /// `alerting:`: receivers and evaluation settings (see `AlertingSettings`).
    public var alerting = AlertingSettings()
    /// The rule groups of the files `rules:` names, read and checked.
    public var rules: [RuleGroup] = []
    /// `push:`: limits of the push APIs (`PushLimits`).
    public var push = PushLimits()
    /// `fleet:`: when agents are missing and sources silent (`FleetSettings`).
    public var fleet = FleetSettings()

    /// A configuration built in code (benchmarks, tests, the demo): every
    /// value not given is the documented default; ports 0 pick free ones.
    public init(nodeID: String, dataDirectory: String, tls: TLSConfiguration?, credentials: IngestCredentials,
                listenHost: String = "127.0.0.1", listenPort: Int = 0, httpHost: String = "127.0.0.1", httpPort: Int = 0,
                storage: PartitionSettings = PartitionSettings(), limits: WireLimits = .default, window: Int = 16,
                recordBounds: RecordBounds = RecordBounds(), maxDiskBytes: Int = 0, minFreeBytes: Int = 256 << 20) {
        self.init(nodeID: nodeID, listenHost: listenHost, listenPort: listenPort, dataDirectory: dataDirectory, insecure: tls == nil,
                  tls: tls, credentials: credentials, limits: limits, window: window, recordBounds: recordBounds,
                  httpHost: httpHost, httpPort: httpPort, storage: storage, maxDiskBytes: maxDiskBytes, minFreeBytes: minFreeBytes)
    }

    private init(nodeID: String, listenHost: String, listenPort: Int, dataDirectory: String, insecure: Bool, tls: TLSConfiguration?,
                 credentials: IngestCredentials, limits: WireLimits, window: Int, recordBounds: RecordBounds, httpHost: String,
                 httpPort: Int, storage: PartitionSettings, maxDiskBytes: Int, minFreeBytes: Int) {
        self.nodeID = nodeID
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.dataDirectory = dataDirectory
        self.insecure = insecure
        self.tls = tls
        self.credentials = credentials
        self.limits = limits
        self.window = window
        self.recordBounds = recordBounds
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.storage = storage
        self.maxDiskBytes = maxDiskBytes
        self.minFreeBytes = minFreeBytes
    }

    /// Loads and validates `path`; errors name the file, key and line.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> NodeConfiguration {
        let reader = try ConfigReader.load(path: path, environment: environment)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try read(reader, relativeTo: base)
    }

    public static func read(_ reader: ConfigReader, relativeTo base: String) throws(ConfigError) -> NodeConfiguration {
        let nodeID = try reader.requiredString("node_id", expected: "a name for this node, e.g. node-a")
        guard Hello.isValidIdentifier(nodeID) else {
            throw reader.error("node_id", "\"\(nodeID)\" must be 1–128 printable ASCII characters without spaces")
        }
        let listen = try reader.string("listen", default: "0.0.0.0:7400")
        guard let (host, port) = ConfigUnits.hostPort(listen) else {
            throw reader.error("listen", "expected host:port such as 0.0.0.0:7400 or [::]:7400, found \"\(listen)\"")
        }
        let httpListen = try reader.string("http_listen", default: "127.0.0.1:7401")
        guard let (httpHost, httpPort) = ConfigUnits.hostPort(httpListen) else {
            throw reader.error("http_listen", "expected host:port such as 127.0.0.1:7401, found \"\(httpListen)\"")
        }
        let dataDirectory = resolve(try reader.requiredString("data_dir", expected: "the directory for this node's data"), base)
        let insecure = try reader.bool("insecure", default: false)

        var tls: TLSConfiguration?
        if let section = try reader.section("tls") {
            var configuration = TLSConfiguration()
            configuration.certificateChainFile = resolve(try section.requiredString("certificate", expected: "the node's PEM certificate chain"), base)
            configuration.privateKeyFile = resolve(try section.requiredString("key", expected: "the node's PEM private key"), base)
            configuration.privateKeyPassphraseFile = try section.string("key_passphrase_file").map { resolve($0, base) }
            configuration.trustedCAFile = try section.string("ca").map { resolve($0, base) }
            configuration.requireClientCertificate = try section.bool("require_client_certificate", default: false)
            if configuration.requireClientCertificate && configuration.trustedCAFile == nil {
                throw section.error("require_client_certificate", "needs tls.ca: the CA bundle that issued the agents' certificates")
            }
            try section.finish()
            tls = configuration
        }
        if tls == nil && !insecure {
            throw reader.error(nil, "tls: is required (certificate and key); set insecure: true only to accept plain TCP on a trusted network")
        }
        if tls != nil && insecure {
            throw reader.error("insecure", "is true but a tls section is configured: choose one")
        }

        var storage = PartitionSettings()
        var maxDiskBytes = 0
        var minFreeBytes = 256 << 20
        if let section = try reader.section("storage") {
            storage.span = try Self.nanoseconds(section, "partition_span", default: storage.span, minimum: 60_000_000_000, what: "at least 1m")
            storage.sealGrace = try Self.nanoseconds(section, "seal_grace", default: storage.sealGrace, minimum: 0, what: "0s or more")
            storage.retention = try Self.nanoseconds(section, "retention", default: storage.retention, minimum: 60_000_000_000, what: "at least 1m")
            storage.flushInterval = try Self.nanoseconds(section, "flush_interval", default: storage.flushInterval, minimum: 100_000_000, what: "at least 100ms")
            maxDiskBytes = try section.bytes("max_disk_bytes", default: 0, range: 0...Int.max)
            minFreeBytes = try section.bytes("min_free_bytes", default: minFreeBytes, range: 0...Int.max)
            storage.maxHeadBytes = try section.bytes("max_head_bytes", default: storage.maxHeadBytes, range: (16 << 20)...(64 << 30))
            storage.flushBytes = min(storage.flushBytes, storage.maxHeadBytes / 4)
            try section.finish()
        }

        var credentials = IngestCredentials()
        var tenantLimits: [String: TenantLimits] = [:]
        let tenants = try reader.sections("tenants")
        if tenants.isEmpty {
            throw reader.error(nil, "tenants: at least one tenant with tokens or certificate_names is required, or no agent can send")
        }
        for tenant in tenants {
            let name = try tenant.requiredString("name", expected: "the tenant's name")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.count <= 64 else {
                throw tenant.error("name", "\"\(name)\" may use letters, digits, - and _ (at most 64)")
            }
            for item in try tenant.mixedList("tokens", expected: "tokens, or {token: …, roles: [ingest, query, admin]}") {
                var token: String
                var roles: Set<AccessRole>?
                switch item {
                case .string(let value):
                    token = value
                case .mapping(let entry):
                    token = try entry.requiredString("token", expected: "the token (e.g. \"${VAR}\")")
                    roles = try Self.roles(entry)
                    try entry.finish()
                }
                guard token.utf8.count >= 8 else {
                    throw tenant.error("tokens", "a token of tenant \(name) is shorter than 8 characters; use a long random string")
                }
                guard !token.contains(where: { $0.isWhitespace }) else {
                    throw tenant.error("tokens", "a token of tenant \(name) contains whitespace, which HTTP headers cannot carry; use a random string")
                }
                if let other = credentials.tokens[token] {
                    throw tenant.error("tokens", "a token of tenant \(name) is also a token of tenant \(other)")
                }
                credentials.tokens[token] = name
                if let roles { credentials.tokenRoles[token] = roles }
            }
            for item in try tenant.mixedList("certificate_names", expected: "client certificate common names, or {name: …, roles: […]}") {
                switch item {
                case .string(let certificateName):
                    credentials.certificateNames[certificateName] = name
                case .mapping(let entry):
                    let certificateName = try entry.requiredString("name", expected: "the client certificate's common name")
                    credentials.certificateNames[certificateName] = name
                    if let roles = try Self.roles(entry) { credentials.certificateRoles[certificateName] = roles }
                    try entry.finish()
                }
            }
            if let section = try tenant.section("limits") {
                var limits = TenantLimits()
                if section.contains("ingest_bytes_per_second") {
                    limits.ingestBytesPerSecond = try section.bytes("ingest_bytes_per_second", default: 0, range: 1024...Int.max)
                }
                if section.contains("ingest_burst_bytes") {
                    guard limits.ingestBytesPerSecond != nil else {
                        throw section.error("ingest_burst_bytes", "needs ingest_bytes_per_second: the rate the burst is refilled at")
                    }
                    limits.ingestBurstBytes = try section.bytes("ingest_burst_bytes", default: 0, range: 1024...Int.max)
                }
                try section.finish()
                tenantLimits[name] = limits
            }
            if tenant.contains("retention") {
                storage.tenantRetention[name] = try Self.nanoseconds(tenant, "retention", default: storage.retention, minimum: 60_000_000_000, what: "at least 1m")
            }
            try tenant.finish()
        }

        var limits = WireLimits()
        var window = 16
        var bounds = RecordBounds()
        if let section = try reader.section("limits") {
            limits.maxFrameBytes = try section.bytes("max_frame_bytes", default: limits.maxFrameBytes, range: 65_536...(256 << 20))
            limits.maxBatchRecords = try section.int("max_batch_records", default: limits.maxBatchRecords, range: 1...1_000_000)
            limits.maxBatchRawBytes = try section.bytes("max_batch_bytes", default: limits.maxBatchRawBytes, range: 65_536...(1 << 30))
            window = try section.int("window", default: window, range: 1...1024)
            bounds.maxAge = Self.nanoseconds(try section.duration("max_record_age", default: .nanoseconds(bounds.maxAge)))
            bounds.maxFuture = Self.nanoseconds(try section.duration("max_record_future", default: .nanoseconds(bounds.maxFuture)))
            try section.finish()
        }
        var cluster: ClusterSettings?
        if let section = try reader.section("cluster") {
            let topologyPath = resolve(try section.requiredString("topology", expected: "the cluster's topology file (the same on every node)"), base)
            let topology: Topology
            do {
                topology = try Topology.load(path: topologyPath)
            } catch {
                throw section.error("topology", "\(topologyPath): \(error)")
            }
            guard topology.nodes[nodeID] != nil else {
                throw section.error("topology", "\(topologyPath) does not list node_id \(nodeID): add this node (trib cluster add-node) or fix node_id")
            }
            let peerListen = try section.string("peer_listen", default: "0.0.0.0:7410")
            guard let (peerHost, peerPort) = ConfigUnits.hostPort(peerListen) else {
                throw section.error("peer_listen", "expected host:port such as 0.0.0.0:7410, found \"\(peerListen)\"")
            }
            var settings = ClusterSettings(topologyPath: topologyPath, topology: topology, peerHost: peerHost, peerPort: peerPort)
            settings.requestTimeout = try section.duration("request_timeout", default: settings.requestTimeout)
            settings.repairInterval = try section.duration("repair_interval", default: settings.repairInterval)
            settings.maxHintBytes = try section.bytes("max_hint_bytes", default: settings.maxHintBytes, range: (1 << 20)...Int.max)
            settings.hintReplayInterval = try section.duration("hint_replay_interval", default: settings.hintReplayInterval)
            guard settings.hintReplayInterval >= .milliseconds(10) else {
                throw section.error("hint_replay_interval", "must be at least 10ms (it is how often hints are offered to a peer that answers again)")
            }
            try section.finish()
            if let tls, tls.trustedCAFile == nil {
                throw reader.error("tls", "ca: is required in a cluster: the CA that issued the nodes' certificates (peers authenticate each other with them)")
            }
            if let explicit = try reader.section("storage"), explicit.contains("partition_span"), storage.span != topology.partitionSpan {
                throw explicit.error("partition_span", "differs from the topology's partition_span (\(topology.partitionSpan / 1_000_000_000)s): every node of a cluster uses the topology's; remove it here")
            }
            storage.span = topology.partitionSpan
            cluster = settings
        }
        var http = NodeHTTPSettings()
        if let section = try reader.section("http") {
            http.metricsAuth = try section.bool("metrics_auth", default: http.metricsAuth)
            try section.finish()
        }
        var query = QuerySettings()
        if let section = try reader.section("query") { query = try QuerySettings.read(section) }
        let tenantNames = Set(credentials.tokens.values).union(credentials.certificateNames.values)
        let (alerting, rules) = try AlertingSettings.read(reader, base: base, tenants: tenantNames)
        var push = PushLimits()
        if let section = try reader.section("push") { push = try Self.readPush(section) }
        var fleet = FleetSettings()
        if let section = try reader.section("fleet") { fleet = try FleetSettings.read(section) }
        try reader.finish()
        var configuration = NodeConfiguration(
            nodeID: nodeID, listenHost: host, listenPort: port, dataDirectory: dataDirectory, insecure: insecure,
            tls: tls, credentials: credentials, limits: limits, window: window, recordBounds: bounds,
            httpHost: httpHost, httpPort: httpPort, storage: storage, maxDiskBytes: maxDiskBytes, minFreeBytes: minFreeBytes)
        configuration.cluster = cluster
        configuration.http = http
        configuration.tenantLimits = tenantLimits
        configuration.query = query
        configuration.alerting = alerting
        configuration.rules = rules
        configuration.push = push
        configuration.fleet = fleet
        return configuration
    }

    /// `roles: [ingest, query, admin]` of a token or certificate entry; nil
    /// when absent (the defaults, ingest and query).
    private static func roles(_ entry: ConfigReader) throws(ConfigError) -> Set<AccessRole>? {
        // Read even when absent, so unknown-key errors list it as known.
        let names = try entry.stringList("roles", expected: "roles: ingest, query or admin")
        guard entry.contains("roles") else { return nil }
        var roles: Set<AccessRole> = []
        for name in names {
            guard let role = AccessRole(rawValue: name) else {
                throw entry.error("roles", "unknown role \"\(name)\": expected ingest, query or admin")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else {
            throw entry.error("roles", "is empty: give at least one of ingest, query, admin (or leave roles out for ingest and query)")
        }
        return roles
    }

    private static func nanoseconds(_ section: ConfigReader, _ key: String, default fallback: Int64, minimum: Int64, what: String) throws(ConfigError) -> Int64 {
        let value = nanoseconds(try section.duration(key, default: .nanoseconds(fallback)))
        guard value >= minimum else { throw section.error(key, "expected a duration of \(what)") }
        return value
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    private static func resolve(_ path: String, _ base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
