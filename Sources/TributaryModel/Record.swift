/// Anything an agent ships: a log line, a metric sample or a change event.
public enum Record: Hashable, Sendable {
    case log(LogRecord)
    case metric(MetricSample)
    case event(ChangeEvent)

    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64 {
        switch self {
        case .log(let record): return record.timestamp
        case .metric(let sample): return sample.timestamp
        case .event(let event): return event.timestamp
        }
    }

    public var labels: Labels {
        switch self {
        case .log(let record): return record.labels
        case .metric(let sample): return sample.labels
        case .event(let event): return event.labels
        }
    }
}
