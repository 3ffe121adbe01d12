import Foundation
import Hummingbird
import NIOCore
import TributaryModel
import TributaryQuery

/// Loki's HTTP API under `/loki/api/v1/`, so Grafana's Loki data source
/// reads a node unchanged (https://grafana.com/docs/loki/latest/reference/loki-http-api/).
/// The tenant is the credential's (`NodeAuthMiddleware`: Bearer, or Basic
/// with the tenant as user and the token as password). Queries are admitted
/// and bounded as every other (`NodeAPI.admitted`); errors are plain text
/// with the status, as Loki answers them.
struct LokiAPI {
    let api: NodeAPI

    private static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    func respond(_ endpoint: NodeEndpoint, _ request: Request, _ context: NodeRequestContext) async -> Response {
        let form: QueryForm
        switch await QueryForm.read(request) {
        case .success(let read): form = read
        case .failure(let failure): return LokiJSON.error(failure)
        }
        switch endpoint {
        case .lokiQueryRange, .lokiQueryRangePost: return await query(form, context, instant: false)
        case .lokiQuery, .lokiQueryPost: return await query(form, context, instant: true)
        case .lokiLabels, .lokiLabelsPost: return await labels(form, context, values: nil)
        case .lokiLabelValues: return await labels(form, context, values: context.parameters.get("name") ?? "")
        case .lokiSeries, .lokiSeriesPost: return await series(form, context)
        case .lokiIndexStats: return await stats(form, context)
        case .lokiIndexVolume: return await volume(form, context, range: false)
        case .lokiIndexVolumeRange: return await volume(form, context, range: true)
        case .lokiBuildInfo: return Self.buildInfo()
        default: return LokiJSON.error(APIFailure(.notFound, "not_found", "not a Loki endpoint"))
        }
    }

    /// `query_range` and `query`: streams for log queries, a matrix
    /// (range) or vector/scalar (instant) for metric queries.
    private func query(_ form: QueryForm, _ context: NodeRequestContext, instant: Bool) async -> Response {
        let parsed: QueryRequest
        do {
            parsed = try LokiParameters.request(form, instant: instant, now: Self.now)
        } catch {
            api.metrics.countQueryError()
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", error.description))
        }
        let tenant = context.tenant
        let began = ContinuousClock.now
        return await api.admitted(tenant: tenant, channel: context.channel, kind: parsed.logs == nil ? "metrics" : "logs",
                                  render: LokiJSON.error) { queryContext in
            if let selector = parsed.logs {
                let (lines, warnings) = try await api.logLines(LogQuery(selector), start: parsed.start, end: parsed.end, limit: parsed.limit,
                                                               direction: parsed.direction, text: parsed.text, tenant: tenant, context: queryContext)
                return LokiJSON.streams(lines, warnings: warnings, began: began)
            }
            let evaluated = try await api.evaluate(parsed, tenant: tenant, context: queryContext)
            return LokiJSON.result(evaluated.result, warnings: evaluated.warnings, began: began)
        }
    }

    /// `labels` (names) or `label/{name}/values`, of the streams `query`
    /// selects (all streams without one), sorted.
    private func labels(_ form: QueryForm, _ context: NodeRequestContext, values name: String?) async -> Response {
        let range: (start: Int64, end: Int64)
        do {
            range = try LokiParameters.range(form, now: Self.now)
        } catch {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", error.description))
        }
        let selector = form.get("query").flatMap { $0.isEmpty ? nil : $0 }
        let tenant = context.tenant
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "labels", render: LokiJSON.error) { queryContext in
            let (streams, _) = try await LokiStreamFinder(api: api).streams(selector: selector, start: range.start, end: range.end,
                                                                             tenant: tenant, context: queryContext)
            var found: Set<String> = []
            for labels in streams {
                if let name {
                    if let value = labels[name] { found.insert(value) }
                } else {
                    for label in labels { found.insert(label.name) }
                }
            }
            return LokiJSON.strings(found.sorted())
        }
    }

    /// `series?match[]=…`: the label sets of the streams each selector
    /// selects (all streams without one).
    private func series(_ form: QueryForm, _ context: NodeRequestContext) async -> Response {
        let range: (start: Int64, end: Int64)
        do {
            range = try LokiParameters.range(form, now: Self.now)
        } catch {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", error.description))
        }
        let selectors = (form.all("match[]") + form.all("match")).filter { !$0.isEmpty }
        let tenant = context.tenant
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "series", render: LokiJSON.error) { queryContext in
            let finder = LokiStreamFinder(api: api)
            var found: Set<Labels> = []
            for selector in selectors.isEmpty ? [nil] : selectors.map(Optional.some) {
                found.formUnion(try await finder.streams(selector: selector, start: range.start, end: range.end, tenant: tenant,
                                                         context: queryContext).streams)
            }
            return LokiJSON.labelSets(found.sorted { $0.description < $1.description })
        }
    }

    /// `index/stats?query=…`: `{"streams":…,"chunks":…,"bytes":…,"entries":…}`
    /// of the selected streams in the range. Tributary keeps streams in
    /// shared blocks, so `chunks` counts streams with lines (each is at
    /// least one chunk to read).
    private func stats(_ form: QueryForm, _ context: NodeRequestContext) async -> Response {
        let range: (start: Int64, end: Int64)
        let selector: String
        do {
            range = try LokiParameters.range(form, now: Self.now)
            guard let text = form.get("query"), !text.isEmpty else {
                throw APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL stream selector such as {app=\"api\"}")
            }
            try LokiStreamFinder.checkSelector(text)
            selector = text
        } catch let failure as APIFailure {
            return LokiJSON.error(failure)
        } catch {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", String(describing: error)))
        }
        let tenant = context.tenant
        let window = LokiStreamFinder.rangeText(start: range.start, end: range.end)
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "stats", render: LokiJSON.error) { queryContext in
            let counts = try await instant("count_over_time(\(selector)[\(window)])", at: range.end, tenant: tenant, context: queryContext)
            let bytes = try await instant("bytes_over_time(\(selector)[\(window)])", at: range.end, tenant: tenant, context: queryContext)
            let entries = counts.reduce(0.0) { $0 + $1.value }
            let total = bytes.reduce(0.0) { $0 + $1.value }
            let body = "{\"streams\":\(counts.count),\"chunks\":\(counts.count),\"bytes\":\(Int64(total)),\"entries\":\(Int64(entries))}\n"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// `index/volume` (a vector at `end`) and `index/volume_range` (a
    /// matrix, one window per `step`): bytes of the selected streams summed
    /// by `targetLabels` (default: the selector's label names), the
    /// `limit` (100) largest.
    private func volume(_ form: QueryForm, _ context: NodeRequestContext, range isRange: Bool) async -> Response {
        let range: (start: Int64, end: Int64)
        let selector: String
        var grouping: [String] = []
        var limit = 100
        do {
            range = try LokiParameters.range(form, now: Self.now)
            guard let text = form.get("query"), !text.isEmpty else {
                throw APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL stream selector such as {app=\"api\"}")
            }
            guard case .logs(let parsed) = try QueryExpr.parse(text, language: .logql) else {
                throw APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL stream selector such as {app=\"api\"}, found \"\(text)\"")
            }
            selector = text
            if let targets = form.get("targetLabels"), !targets.isEmpty {
                grouping = targets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            } else {
                grouping = parsed.matchers.map(\.name)
            }
            guard grouping.allSatisfy(LokiStreamFinder.isPlainName) else {
                throw APIFailure(.badRequest, "bad_data", "parameter targetLabels: expected label names separated by commas, found \"\(form.get("targetLabels") ?? "")\"")
            }
            if let text = form.get("limit") {
                guard let value = Int(text), (1...QueryRequest.maxLimit).contains(value) else {
                    throw APIFailure(.badRequest, "bad_data", "parameter limit: expected a whole number from 1 to \(QueryRequest.maxLimit), found \"\(text)\"")
                }
                limit = value
            }
        } catch let failure as APIFailure {
            return LokiJSON.error(failure)
        } catch let error as QueryError {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", "parameter query: \(error.description)"))
        } catch {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", String(describing: error)))
        }
        var values: [String: String] = ["end": QueryTime.format(range.end), "start": QueryTime.format(range.start)]
        let by = "sum by (\(Array(Set(grouping)).sorted().joined(separator: ", ")))"
        if isRange {
            values["step"] = form.get("step")
            // Each point sums its own step, as Loki's volume_range does:
            // the step is QueryRequest's (given, or about 250 points).
            let probe: QueryRequest
            do {
                probe = try QueryRequest(parameters: { $0 == "query" ? "vector(0)" : values[$0] }, now: Self.now)
            } catch {
                return LokiJSON.error(APIFailure(.badRequest, "bad_data", error.description))
            }
            values["query"] = "\(by) (bytes_over_time(\(selector)[\(max(1, probe.step / 1_000_000))ms]))"
        } else {
            values["query"] = "\(by) (bytes_over_time(\(selector)[\(LokiStreamFinder.rangeText(start: range.start, end: range.end))]))"
            values["time"] = values["end"]
        }
        let request: QueryRequest
        do {
            request = try QueryRequest(parameters: { values[$0] }, now: Self.now, instant: !isRange)
        } catch {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", error.description))
        }
        let tenant = context.tenant
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "volume", render: LokiJSON.error) { queryContext in
            let evaluated = try await api.evaluate(request, tenant: tenant, context: queryContext)
            var result = evaluated.result
            switch result {
            case .vector(let samples):
                result = .vector(Array(samples.sorted { $0.value > $1.value }.prefix(limit)))
            case .matrix(let series):
                let total = { (one: MetricSeries) in one.values.reduce(0, +) }
                result = .matrix(Array(series.sorted { total($0) > total($1) }.prefix(limit)).sorted { $0.labels.description < $1.labels.description })
            case .scalar, .string: break
            }
            var buffer = ByteBuffer()
            NodeAPI.write(result, into: &buffer)
            buffer.writeString("}\n")
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
        }
    }

    /// The samples of an instant metric query.
    private func instant(_ text: String, at end: Int64, tenant: String, context: QueryContext) async throws -> [InstantSample] {
        let request: QueryRequest
        do {
            request = try QueryRequest(parameters: { ["query": text, "time": QueryTime.format(end)][$0] }, now: Self.now, instant: true)
        } catch {
            throw APIFailure(.badRequest, "bad_data", error.description)
        }
        guard case .vector(let samples) = try await api.evaluate(request, tenant: tenant, context: context).result else { return [] }
        return samples
    }

    /// `status/buildinfo`. Grafana enables features by the version it
    /// reads here, so `version` names the Loki API release these endpoints
    /// follow; `revision` is Tributary's own.
    static func buildInfo() -> Response {
        let body = "{\"version\":\"\(apiVersion)\",\"revision\":\"tributary-\(TributaryVersion.string)\",\"branch\":\"tributary\","
            + "\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}\n"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The Loki release whose API this follows.
    static let apiVersion = "3.0.0"
}
