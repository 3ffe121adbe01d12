/// One entry of `inputs:` in agent.yaml.
public struct InputConfiguration: Sendable {
    public enum Kind: Sendable {
        case file(FileInputSettings)
        case syslog(SyslogInputSettings)
        case hostMetrics(interval: Duration)
        case statsd(host: String, port: Int, flushInterval: Duration, maxSeries: Int)
        case prometheus(PrometheusInputSettings)
    }

    public var name: String
    public var kind: Kind
    /// Added to every record of this input (after the agent's labels).
    public var labels: [(key: String, value: String)]
    public var rules: ProcessingRules

    public init(name: String, kind: Kind, labels: [(key: String, value: String)] = [], rules: ProcessingRules = ProcessingRules()) {
        self.name = name
        self.kind = kind
        self.labels = labels
        self.rules = rules
    }
}
