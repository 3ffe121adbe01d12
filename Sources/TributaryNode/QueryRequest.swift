import TributaryQuery

/// The parameters of `/api/v1/query_range`, checked: each problem is an
/// error naming the parameter and what it expects.
struct QueryRequest: Sendable {
    static let defaultLimit = 100
    static let maxLimit = 1_000_000

    let text: String
    let query: Query
    let start: Int64
    let end: Int64
    let limit: Int
    let direction: LogSearch.Direction
    /// Metric queries: nanoseconds between points.
    let step: Int64

    init(parameters: (String) -> String?, now: Int64) throws(QueryRequestError) {
        guard let text = parameters("query"), !text.isEmpty else {
            throw .parameter("query", "a log query ({app=\"nginx\"} |= \"timeout\") or a metric query (rate(http_requests_total[5m]))")
        }
        self.text = text
        do {
            query = try Query.parse(text)
        } catch {
            throw .query(error)
        }
        do {
            end = try parameters("end").map { text throws(QueryError) in try QueryTime.parse(text, now: now) } ?? now
        } catch {
            throw .parameter("end", error.expected + ", found " + error.found)
        }
        do {
            start = try parameters("start").map { text throws(QueryError) in try QueryTime.parse(text, now: now) } ?? end - 3_600_000_000_000
        } catch {
            throw .parameter("start", error.expected + ", found " + error.found)
        }
        guard start <= end else { throw .parameter("start", "a time before end") }
        if let text = parameters("limit") {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw .parameter("limit", "a whole number from 1 to \(Self.maxLimit), found \"\(text)\"")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        if let text = parameters("direction") {
            guard let value = LogSearch.Direction(rawValue: text) else {
                throw .parameter("direction", "backward (newest first, the default) or forward, found \"\(text)\"")
            }
            direction = value
        } else {
            direction = .backward
        }
        if let text = parameters("step") {
            if let seconds = Double(text), seconds > 0, seconds < 9.2e9 {
                step = Int64(seconds * 1e9)
            } else if let duration = try? QueryTime.parseDuration(text), duration > 0 {
                step = duration
            } else {
                throw .parameter("step", "a positive duration (15s, 1m) or seconds, found \"\(text)\"")
            }
        } else {
            // About 250 points over the range, at least a second.
            step = max(1_000_000_000, (end - start) / 250)
        }
    }
}

enum QueryRequestError: Error, CustomStringConvertible {
    case parameter(String, String)
    case query(QueryError)

    var description: String {
        switch self {
        case .parameter(let name, let expected): return "parameter \(name): expected \(expected)"
        case .query(let error): return error.description
        }
    }
}
