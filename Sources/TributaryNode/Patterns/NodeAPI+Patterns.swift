import Foundation
import Hummingbird
import TributaryAPI
import TributaryModel
import TributaryQuery

extension NodeAPI {
    /// `GET /loki/api/v1/patterns?query={…}&start&end&step[&id]`: the
    /// tenant's patterns of the stream groups matching the selector, with
    /// lines per step. `id` keeps one pattern (to read a `pattern_id`).
    /// Answered from this node's memory (never a partition scan).
    func logPatterns(_ request: Request, tenant: String) async -> Response {
        let form: QueryForm
        switch await QueryForm.read(request) {
        case .success(let read): form = read
        case .failure(let failure): return failure.response
        }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var matchers: [LabelMatcher] = []
        let from: Int64
        let to: Int64
        var step: Int64 = 0
        do {
            if let text = form.get("query"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
                guard case .logs(let selector) = try QueryExpr.parse(text, language: .logql) else {
                    return APIFailure(.badRequest, "bad_data", "query must be a log stream selector such as {app=\"checkout\"}, not \(text)").response
                }
                matchers = selector.matchers
            }
            to = try form.get("end").map { text throws(QueryError) in try QueryTime.parse(text, now: now) } ?? now
            let hourBefore = to.subtractingReportingOverflow(3_600_000_000_000)
            from = try form.get("start").map { text throws(QueryError) in try QueryTime.parse(text, now: now) }
                ?? (hourBefore.overflow ? .min : hourBefore.partialValue)
            if let text = form.get("step") {
                if let seconds = Double(text) {
                    // Checked: a step past the representable range is a 400, not a trap.
                    guard seconds.isFinite, seconds > 0, seconds < 9e9 else {
                        return APIFailure(.badRequest, "bad_data", "step must be a positive duration such as 60s or 5m, not \(text)").response
                    }
                    step = Int64(seconds * 1e9)
                } else {
                    step = try QueryTime.parseDuration(text)
                }
            }
        } catch {
            return APIFailure(.badRequest, "bad_data", "\(error)").response
        }
        guard from <= to else { return APIFailure(.badRequest, "bad_data", "start must not be after end").response }
        var id: UInt64?
        if let text = form.get("id") {
            guard let parsed = UInt64(text) else {
                return APIFailure(.badRequest, "bad_data", "id must be a pattern id (the pattern_id label), not \(text)").response
            }
            id = parsed
        }
        let summaries = store.patterns.summaries(tenant: tenant, matchers: matchers, from: from, to: to, step: step)
        let entries = summaries.filter { id == nil || $0.id == id }.map { summary in
            LogPatternEntry(
                pattern: summary.pattern,
                samples: summary.samples.map { [$0.0 / 1_000_000_000, Int64($0.1)] },
                id: String(summary.id),
                labels: Dictionary(uniqueKeysWithValues: summary.group.map { ($0.name, $0.value) }),
                firstSeen: Double(summary.firstSeen) / 1e9,
                lines: summary.lines
            )
        }
        return Response.json(LogPatternsResponse(data: entries))
    }
}
