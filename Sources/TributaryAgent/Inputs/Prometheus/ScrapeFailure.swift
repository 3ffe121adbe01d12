/// Why one scrape stored no samples (its `up` is 0): `reason` labels the
/// agent's `tributary_agent_scrapes_total`, `message` goes to the log.
struct ScrapeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    enum Reason: String, Sendable {
        case connect, timeout, tls, credentials
        case httpStatus = "http_status"
        case bodySizeLimit = "body_size_limit"
        case sampleLimit = "sample_limit"
        case labelLimit = "label_limit"
        case parse
    }

    let reason: Reason
    let message: String

    var description: String { message }
}
