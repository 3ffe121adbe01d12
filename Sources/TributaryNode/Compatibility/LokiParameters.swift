import TributaryQuery

/// Loki's query parameters as Grafana sends them, turned into the node's
/// `QueryRequest` (which checks the query, limits and resolution).
///
/// Times (`start`, `end`, `time`) follow Loki's `parseTimestamp`: with a
/// `.` they are float seconds; an integer of at most 10 digits is Unix
/// seconds, a longer one nanoseconds (`1700000000000000000`); otherwise
/// RFC 3339. `since` (a duration) sets `start` relative to `end` when
/// `start` is absent. `step` is float seconds or a duration (`"15000ms"`,
/// `"1m"`). `direction` is `backward` or `forward` in any case.
/// (https://grafana.com/docs/loki/latest/reference/loki-http-api/)
enum LokiParameters {
    /// What a log query reads without `start`: an hour (Loki's `defaultSince`).
    static let defaultQueryRange: Int64 = 3_600_000_000_000
    /// What `labels`, `series` and the index endpoints read without `start`: 6 hours.
    static let defaultMetadataRange: Int64 = 6 * 3_600_000_000_000

    /// One Loki timestamp in nanoseconds.
    static func time(_ text: String, name: String, now: Int64) throws(QueryRequestError) -> Int64 {
        let expected = "a nanosecond Unix time (1700000000000000000), Unix seconds (1700000000 or 1700000000.5) or RFC 3339, found \"\(text)\""
        if text.contains("."), !text.contains("T") {
            guard let seconds = Double(text), seconds.isFinite, abs(seconds) < 9.2e9 else { throw .parameter(name, expected) }
            return Int64((seconds * 1e9).rounded())
        }
        if let integer = Int64(text) {
            guard text.count > 10 else {
                let (nanoseconds, overflow) = integer.multipliedReportingOverflow(by: 1_000_000_000)
                guard !overflow else { throw .parameter(name, expected) }
                return nanoseconds
            }
            return integer
        }
        if text == "now" { return now }
        if let time = QueryTime.parseRFC3339(text) { return time }
        throw .parameter(name, expected)
    }

    /// The range of a metadata request (`labels`, `series`, `index/*`):
    /// `start`/`since` to `end`, 6 hours by default.
    static func range(_ form: QueryForm, now: Int64) throws(QueryRequestError) -> (start: Int64, end: Int64) {
        let end = try form.get("end").map { text throws(QueryRequestError) in try time(text, name: "end", now: now) } ?? now
        let start: Int64
        if let text = form.get("start") {
            start = try time(text, name: "start", now: now)
        } else if let text = form.get("since") {
            guard let duration = try? QueryTime.parseDuration(text) else {
                throw .parameter("since", "a duration such as 1h or 30m, found \"\(text)\"")
            }
            start = QueryRequest.subtract(end, duration)
        } else {
            start = QueryRequest.subtract(end, defaultMetadataRange)
        }
        guard start <= end else { throw .parameter("start", "a time before end") }
        return (start, end)
    }

    /// A `query_range` (or instant `query`) request in Loki's conventions.
    static func request(_ form: QueryForm, instant: Bool, now: Int64) throws(QueryRequestError) -> QueryRequest {
        var values: [String: String] = [:]
        for name in ["query", "limit", "step"] { values[name] = form.get(name) }
        if let direction = form.get("direction") { values["direction"] = direction.lowercased() }
        let endName = instant ? "time" : "end"
        let end = try form.get(endName).map { text throws(QueryRequestError) in try time(text, name: endName, now: now) } ?? now
        values[endName] = QueryTime.format(end)
        if let text = form.get("start") {
            values["start"] = QueryTime.format(try time(text, name: "start", now: now))
        } else if let text = form.get("since") {
            guard let duration = try? QueryTime.parseDuration(text) else {
                throw .parameter("since", "a duration such as 1h or 30m, found \"\(text)\"")
            }
            values["start"] = QueryTime.format(QueryRequest.subtract(end, duration))
        }
        return try QueryRequest(parameters: { values[$0] }, now: now, instant: instant)
    }
}
