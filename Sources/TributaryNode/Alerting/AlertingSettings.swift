import Foundation
import TributaryAlerting
import TributaryConfig

/// `rules:` and `alerting:` of node.yaml: which rule files the node
/// evaluates for which tenant, and where alerts are sent.
///
/// ```yaml
/// rules:                          # files or globs, relative to node.yaml
///   - rules/*.yaml                # for the only tenant
///   - {tenant: acme, files: [acme/*.yaml]}
/// alerting:
///   evaluation_interval: 1m       # groups without their own interval
///   resend_delay: 1m              # firing alerts are re-sent to Alertmanager this often
///   external_url: https://trib.example.com   # base of generatorURL
///   external_labels: {cluster: eu-1}         # added to every alert; $externalLabels in templates
///   timeout: 10s                  # per request to a receiver
///   max_backoff: 30s              # retries of a receiver that is down: 1s, 2s, … up to this
///   outbox_max_bytes: 64MiB       # per receiver, on disk; oldest dropped beyond
///   outbox_max_entries: 10000
///   alertmanagers:
///     - http://127.0.0.1:9093
///     - {url: https://am.example.com, bearer_token_file: am.token, ca: ca.pem, timeout: 5s}
///   webhooks:
///     - http://hooks.example.com/tributary
/// ```
public struct AlertingSettings: Sendable, Equatable {
    public var evaluationInterval: Int64 = 60_000_000_000
    public var resendDelay: Int64 = 60_000_000_000
    public var externalURL = ""
    public var externalLabels: [String: String] = [:]
    public var alertmanagers: [AlertReceiver] = []
    public var webhooks: [AlertReceiver] = []
    public var maxBackoff: Duration = .seconds(30)
    public var outboxMaxBytes = 64 << 20
    public var outboxMaxEntries = 10_000
    /// The rule files as named (patterns), per tenant, to read again at SIGHUP.
    public var ruleSources: [(tenant: String, pattern: String)] = []

    public init() {}

    public static func == (lhs: AlertingSettings, rhs: AlertingSettings) -> Bool {
        lhs.evaluationInterval == rhs.evaluationInterval && lhs.resendDelay == rhs.resendDelay && lhs.externalURL == rhs.externalURL
            && lhs.externalLabels == rhs.externalLabels && lhs.alertmanagers == rhs.alertmanagers && lhs.webhooks == rhs.webhooks
            && lhs.maxBackoff == rhs.maxBackoff && lhs.outboxMaxBytes == rhs.outboxMaxBytes && lhs.outboxMaxEntries == rhs.outboxMaxEntries
    }

    /// Reads both sections and every rule file they name (so that
    /// `trib check-config node.yaml` checks the rules too).
    static func read(_ reader: ConfigReader, base: String, tenants: Set<String>) throws(ConfigError) -> (AlertingSettings, [RuleGroup]) {
        var settings = AlertingSettings()
        if let section = try reader.section("alerting") {
            settings.evaluationInterval = try nanoseconds(section, "evaluation_interval", settings.evaluationInterval)
            settings.resendDelay = try nanoseconds(section, "resend_delay", settings.resendDelay)
            settings.externalURL = try section.string("external_url", default: "")
            settings.externalLabels = Dictionary(try section.stringMap("external_labels", expected: "label names to values"),
                                                 uniquingKeysWith: { $1 })
            let timeout = try section.duration("timeout", default: .seconds(10))
            settings.maxBackoff = try section.duration("max_backoff", default: settings.maxBackoff)
            guard settings.maxBackoff >= .seconds(1) else { throw section.error("max_backoff", "must be at least 1s") }
            settings.outboxMaxBytes = try section.bytes("outbox_max_bytes", default: settings.outboxMaxBytes, range: (64 << 10)...(1 << 40))
            settings.outboxMaxEntries = try section.int("outbox_max_entries", default: settings.outboxMaxEntries, range: 1...10_000_000)
            for item in try section.mixedList("alertmanagers", expected: "Alertmanager URLs, or {url: …, bearer_token: …, ca: …}") {
                settings.alertmanagers.append(try AlertReceiver.read(item, kind: .alertmanager, owner: section, key: "alertmanagers", base: base,
                                                                     timeout: timeout))
            }
            for item in try section.mixedList("webhooks", expected: "webhook URLs, or {url: …, bearer_token: …, ca: …}") {
                settings.webhooks.append(try AlertReceiver.read(item, kind: .webhook, owner: section, key: "webhooks", base: base, timeout: timeout))
            }
            try section.finish()
        }
        for item in try reader.mixedList("rules", expected: "rule files or globs, or {tenant: …, files: […]}") {
            switch item {
            case .string(let pattern):
                guard tenants.count == 1, let only = tenants.first else {
                    throw reader.error("rules", "\"\(pattern)\": with several tenants, name the tenant: {tenant: NAME, files: [\(pattern)]}")
                }
                settings.ruleSources.append((only, resolve(pattern, base)))
            case .mapping(let entry):
                let tenant = try entry.requiredString("tenant", expected: "the tenant whose data the rules read and write")
                guard tenants.contains(tenant) else {
                    throw entry.error("tenant", "\"\(tenant)\" is not a tenant of this node (tenants: \(tenants.sorted().joined(separator: ", ")))")
                }
                let files = try entry.stringList("files", expected: "rule files or globs")
                guard !files.isEmpty else { throw entry.error("files", "is required: the tenant's rule files or globs") }
                for file in files { settings.ruleSources.append((tenant, resolve(file, base))) }
                try entry.finish()
            }
        }
        let groups = try loadRules(settings.ruleSources, defaultInterval: settings.evaluationInterval, owner: reader)
        return (settings, groups)
    }

    /// Reads the rule files `sources` name: a pattern without wildcards must
    /// exist; a glob may match nothing. Two groups with one name in one
    /// tenant's file are refused by `RuleFile`; across files they are distinct.
    static func loadRules(_ sources: [(tenant: String, pattern: String)], defaultInterval: Int64, owner: ConfigReader?) throws(ConfigError) -> [RuleGroup] {
        var groups: [RuleGroup] = []
        var seen: Set<String> = []
        for (tenant, pattern) in sources {
            let paths: [String]
            if pattern.contains(where: { "*?[".contains($0) }) {
                paths = glob(pattern)
            } else {
                guard FileManager.default.fileExists(atPath: pattern) else {
                    let message = "rule file \(pattern) does not exist"
                    throw owner?.error("rules", message) ?? ConfigError(file: pattern, path: "", line: nil, message: message)
                }
                paths = [pattern]
            }
            for path in paths {
                for group in try RuleFile.load(path: path, tenant: tenant, defaultInterval: defaultInterval) where seen.insert(group.key).inserted {
                    groups.append(group)
                }
            }
        }
        return groups
    }

    private static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    private static func nanoseconds(_ section: ConfigReader, _ key: String, _ fallback: Int64) throws(ConfigError) -> Int64 {
        let duration = try section.duration(key, default: .nanoseconds(fallback))
        let (seconds, attoseconds) = duration.components
        let value = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
        guard value >= 1_000_000_000 else { throw section.error(key, "must be at least 1s") }
        return value
    }

    private static func resolve(_ path: String, _ base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
