/// The two text formats a Prometheus endpoint answers in: the classic
/// text format 0.0.4 and OpenMetrics 1.0. The target picks one from the
/// scraper's `Accept` header and says which in its `Content-Type`.
public enum ExpositionFormat: Sendable, Equatable, CustomStringConvertible {
    /// `text/plain; version=0.0.4`: timestamps in milliseconds, no `# EOF`.
    case text
    /// `application/openmetrics-text`: timestamps in seconds, `_total`
    /// counters, exemplars, and a mandatory `# EOF` last line.
    case openMetrics

    /// What Prometheus sends: OpenMetrics preferred, the text format next,
    /// anything else last (parsed as the text format).
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// The format a response's `Content-Type` names; anything that is not
    /// OpenMetrics (including a missing header) is read as the text
    /// format, as Prometheus does.
    public init(contentType: String?) {
        let mediaType = contentType?.split(separator: ";").first.map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
        self = mediaType == "application/openmetrics-text" ? .openMetrics : .text
    }

    public var description: String { self == .text ? "Prometheus text 0.0.4" : "OpenMetrics" }
}
