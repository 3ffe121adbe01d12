import TributaryTLS

/// A `type: prometheus` input: which endpoints the agent scrapes, how
/// often, how it authenticates, and how much one answer may hold.
///
/// ```yaml
/// - type: prometheus
///   job: node                         # the job label (default: the input's name)
///   targets: [127.0.0.1:9100]         # host:port, scraped as scheme://host:port/metrics_path
///   files: [/etc/trib/targets/*.json] # Prometheus file_sd files (JSON or YAML), re-read on change
///   interval: 15s
///   timeout: 10s                      # at most interval
///   scheme: https                     # default http
///   metrics_path: /metrics
///   honor_labels: false               # true: the target's labels win over job/instance/labels
///   honor_timestamps: true            # keep timestamps the target exposes
///   sample_limit: 50000               # more samples: the scrape fails (up = 0)
///   body_size_limit: 16MiB            # a larger answer: the scrape fails (up = 0)
///   tls: {ca: ca.pem, certificate: agent.pem, key: agent.key, server_name: x, insecure_skip_verify: false}
///   bearer_token_file: /etc/trib/scrape-token  # or bearer_token: …
///   labels: {team: infra}             # target labels, like static_configs' labels
/// ```
public struct PrometheusInputSettings: Sendable {
    public var job: String
    /// Static `host:port` targets.
    public var targets: [String] = []
    /// file_sd files (globs in the file name allowed), re-read when they change.
    public var files: [String] = []
    public var interval: Duration = .seconds(15)
    public var timeout: Duration = .seconds(10)
    public var scheme = "http"
    public var metricsPath = "/metrics"
    public var honorLabels = false
    public var honorTimestamps = true
    public var sampleLimit = 50_000
    public var bodySizeLimit = 16 << 20
    /// HTTPS settings (implies nothing about the scheme: set `scheme: https`).
    public var tls: TLSConfiguration?
    public var serverName: String?
    public var bearerToken: String?
    /// Read again at every scrape, so a rotated token applies at once.
    public var bearerTokenFile: String?

    public init(job: String) {
        self.job = job
    }

    /// Targets per input (each is scraped by its own thread); beyond it,
    /// the first ones in address order are kept and the rest reported.
    static let maxTargets = 5_000

    /// How often the target files are checked for changes.
    static let fileCheckInterval: Duration = .seconds(1)
}
