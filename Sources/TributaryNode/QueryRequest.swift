import TributaryQuery

/// The parameters of `/api/v1/query_range` and `/api/v1/query`, checked:
/// each problem is an error naming the parameter and what it expects. All
/// arithmetic on them is checked (times are Int64 nanoseconds: years
/// 1678–2262), and a metric query may ask for at most `maxPoints` points
/// per series.
///
/// An instant request (`/api/v1/query`) evaluates a metric query at `time`
/// (default now): `start == end == time`. A log query asked as an instant
/// still reads `start` to `end` (`time`, or now), as it always has.
struct QueryRequest: Sendable {
    static let defaultLimit = 100
    static let maxLimit = 1_000_000
    /// Prometheus' limit on (end - start) / step.
    static let maxPoints: Int64 = 11_000
    static let maxPointsMessage = "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"

    let text: String
    let expr: QueryExpr
    /// `/api/v1/query`: one evaluation time.
    let instant: Bool
    let start: Int64
    let end: Int64
    let limit: Int
    let direction: LogSearch.Direction
    /// Metric queries: nanoseconds between points.
    let step: Int64

    /// The log selector when the query is a log query (lines, not numbers).
    var logs: LogSelectorExpr? {
        if case .logs(let selector) = expr { return selector }
        return nil
    }

    init(parameters: (String) -> String?, now: Int64, instant: Bool = false) throws(QueryRequestError) {
        guard let text = parameters("query"), !text.isEmpty else {
            throw .parameter("query", "a log query ({app=\"nginx\"} |= \"timeout\") or a metric query (rate(http_requests_total[5m]))")
        }
        self.text = text
        self.instant = instant
        do {
            expr = try QueryExpr.parse(text, language: .auto)
        } catch {
            throw .query(error)
        }
        let isLogs = if case .logs = expr { true } else { false }
        // Stages that cannot compile (a regexp without a named group, a bad template) are the client's to fix.
        do throws(LogPipelineError) {
            if case .logs(let selector) = expr { _ = try LogPipeline(selector.stages) }
            for range in expr.logRanges { _ = try LogPipeline(range.selector.stages) }
        } catch {
            throw .pipeline(error)
        }
        // An instant query's time (`time`, or `end` as before) ends a log query's range.
        let endParameter = instant && parameters("time") != nil ? "time" : "end"
        do {
            end = try parameters(endParameter).map { text throws(QueryError) in try QueryTime.parse(text, now: now) } ?? now
        } catch {
            throw .parameter(endParameter, error.expected + ", found " + error.found)
        }
        do throws(QueryError) {
            if instant && !isLogs {
                start = end
            } else if let text = parameters("start") {
                start = try QueryTime.parse(text, now: now)
            } else {
                let (hourBefore, overflow) = end.subtractingReportingOverflow(3_600_000_000_000)
                guard !overflow else { throw QueryError(position: 0, expected: QueryTime.rangeAdvice, found: "no start an hour before it") }
                start = hourBefore
            }
        } catch {
            throw .parameter(parameters("start") == nil ? "end" : "start", error.expected + ", found " + error.found)
        }
        guard start <= end else { throw .parameter("start", "a time before end") }
        // end ≥ start, so the span fits in UInt64 even where Int64 would overflow.
        let span = UInt64(bitPattern: end &- start)
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
            if let seconds = Double(text), seconds.isFinite, seconds > 0, seconds < 9.2e9, (seconds * 1e9).rounded() >= 1 {
                step = Int64((seconds * 1e9).rounded())
            } else if let duration = try? QueryTime.parseDuration(text), duration > 0 {
                step = duration
            } else {
                throw .parameter("step", "a positive duration (15s, 1m) or seconds of at most 200 years, found \"\(text)\"")
            }
        } else {
            // About 250 points over the range, at least a second.
            step = Int64(max(1_000_000_000, span / 250))
        }
        if !isLogs, span > UInt64(Int64.max) {
            // Steps are Int64 offsets from start: the span must be one too.
            throw .parameter("end", "at most 292 years after start (the span of 64-bit nanoseconds); choose a shorter range")
        }
        if !isLogs, span / UInt64(step) >= UInt64(Self.maxPoints) {
            throw .resolution
        }
    }

    /// `start - duration`, or the earliest time when that is before it
    /// (windows reaching before 1678 hold no data anyway).
    static func subtract(_ time: Int64, _ duration: Int64) -> Int64 {
        let (difference, overflow) = time.subtractingReportingOverflow(duration)
        return overflow ? (duration > 0 ? .min : .max) : difference
    }

    /// `time + 1` that stays at the latest time instead of overflowing.
    static func next(_ time: Int64) -> Int64 { time == .max ? .max : time + 1 }
}

enum QueryRequestError: Error, CustomStringConvertible {
    case parameter(String, String)
    case query(QueryError)
    /// A LogQL stage that does not compile.
    case pipeline(LogPipelineError)
    /// More than `QueryRequest.maxPoints` points per series.
    case resolution

    var description: String {
        switch self {
        case .parameter(let name, let expected): return "parameter \(name): expected \(expected)"
        case .resolution: return QueryRequest.maxPointsMessage
        case .query(let error): return error.description
        case .pipeline(let error): return error.description
        }
    }
}
