import TributaryConfig
import TributaryTLS

extension InputConfiguration {
    /// The keys of a `type: prometheus` input (see `PrometheusInputSettings`).
    static func prometheus(_ section: ConfigReader, name: String, relativeTo base: String) throws(ConfigError) -> PrometheusInputSettings {
        var settings = PrometheusInputSettings(job: try section.string("job", default: name))
        guard !settings.job.isEmpty else { throw section.error("job", "must not be empty: it becomes the job label of every series") }
        settings.targets = try section.stringList("targets", expected: "host:port addresses such as [127.0.0.1:9100]")
        for target in settings.targets {
            guard ScrapeTarget.hostPort(target) != nil else {
                throw section.error("targets", "expected host:port such as 127.0.0.1:9100 (scheme and path are the keys scheme and metrics_path), found \"\(target)\"")
            }
        }
        settings.files = try section.stringList("files", expected: "Prometheus file_sd files (JSON or YAML), e.g. [targets/*.json]")
            .map { AgentConfiguration.resolve($0, base) }
        guard !settings.targets.isEmpty || !settings.files.isEmpty else {
            throw section.error("targets", "a prometheus input needs targets (host:port list) or files (file_sd target files), or both")
        }
        settings.interval = try section.duration("interval", default: settings.interval)
        guard settings.interval >= .milliseconds(100) else { throw section.error("interval", "must be at least 100ms") }
        settings.timeout = try section.duration("timeout", default: min(settings.timeout, settings.interval))
        guard settings.timeout > .zero, settings.timeout <= settings.interval else {
            throw section.error("timeout", "must be more than 0 and at most interval (\(settings.interval))")
        }
        settings.scheme = try section.string("scheme", default: settings.scheme)
        guard settings.scheme == "http" || settings.scheme == "https" else {
            throw section.error("scheme", "expected http or https, found \"\(settings.scheme)\"")
        }
        settings.metricsPath = try section.string("metrics_path", default: settings.metricsPath)
        guard settings.metricsPath.hasPrefix("/"), !settings.metricsPath.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            throw section.error("metrics_path", "expected a path starting with / and without spaces, such as /metrics, found \"\(settings.metricsPath)\"")
        }
        settings.honorLabels = try section.bool("honor_labels", default: false)
        settings.honorTimestamps = try section.bool("honor_timestamps", default: true)
        settings.sampleLimit = try section.int("sample_limit", default: settings.sampleLimit, range: 1...1_000_000)
        settings.bodySizeLimit = try section.bytes("body_size_limit", default: settings.bodySizeLimit, range: (1 << 10)...(1 << 30))
        if let tls = try section.section("tls") {
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = try tls.string("ca").map { AgentConfiguration.resolve($0, base) }
            configuration.certificateChainFile = try tls.string("certificate").map { AgentConfiguration.resolve($0, base) }
            configuration.privateKeyFile = try tls.string("key").map { AgentConfiguration.resolve($0, base) }
            if (configuration.certificateChainFile == nil) != (configuration.privateKeyFile == nil) {
                throw tls.error(configuration.certificateChainFile == nil ? "certificate" : "key",
                                "a client certificate needs both tls.certificate and tls.key")
            }
            configuration.verifyPeer = !(try tls.bool("insecure_skip_verify", default: false))
            settings.serverName = try tls.string("server_name")
            try tls.finish()
            settings.tls = configuration
        }
        settings.bearerToken = try section.string("bearer_token")
        settings.bearerTokenFile = try section.string("bearer_token_file").map { AgentConfiguration.resolve($0, base) }
        if settings.bearerToken != nil && settings.bearerTokenFile != nil {
            throw section.error("bearer_token_file", "bearer_token and bearer_token_file are both set: choose one")
        }
        if let token = settings.bearerToken, token.isEmpty || token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw section.error("bearer_token", "must be one token: not empty, no line breaks or control characters")
        }
        return settings
    }
}
