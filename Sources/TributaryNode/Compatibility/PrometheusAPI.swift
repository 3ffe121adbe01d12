import Foundation
import Hummingbird
import NIOCore
import TributaryModel
import TributaryQuery

/// The parts of Prometheus' HTTP API beside `query` and `query_range`
/// that Grafana's Prometheus data source calls
/// (https://prometheus.io/docs/prometheus/latest/querying/api/):
/// `series`, `labels`, `label/{name}/values` (each with `match[]`,
/// `start`, `end`, GET or form POST), `metadata`, `status/buildinfo` and
/// `query_exemplars` (always empty: Tributary keeps no exemplars).
/// Errors use Prometheus' envelope (`APIFailure`).
struct PrometheusAPI {
    let api: NodeAPI

    /// What `series`/`labels` read without `start`: 6 hours (Prometheus
    /// reads all its data; a cluster's years of partitions are too many).
    static let defaultRange: Int64 = 6 * 3_600_000_000_000
    /// The Prometheus release whose API this follows (Grafana enables
    /// features by it).
    static let apiVersion = "2.53.0"

    private static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    func respond(_ endpoint: NodeEndpoint, _ request: Request, _ context: NodeRequestContext) async -> Response {
        let form: QueryForm
        switch await QueryForm.read(request) {
        case .success(let read): form = read
        case .failure(let failure): return failure.response
        }
        switch endpoint {
        case .promSeries, .promSeriesPost: return await series(form, context, answer: .series)
        case .promLabels, .promLabelsPost: return await series(form, context, answer: .names)
        case .promLabelValues: return await series(form, context, answer: .values(context.parameters.get("name") ?? ""))
        case .promMetadata: return await metadata(form, context)
        case .promBuildInfo: return Self.buildInfo()
        case .promQueryExemplars, .promQueryExemplarsPost: return Self.success("[]")
        default: return APIFailure(.notFound, "not_found", "not a Prometheus endpoint").response
        }
    }

    enum Answer {
        case series
        case names
        case values(String)
    }

    /// The series matching any `match[]` selector (every series without
    /// one) with samples in [start, end], answered as series, label names
    /// or one label's values.
    private func series(_ form: QueryForm, _ context: NodeRequestContext, answer: Answer) async -> Response {
        let parsed: (selectors: [VectorSelector], text: String, start: Int64, end: Int64)
        do {
            let required = if case .series = answer { true } else { false }
            parsed = try Self.parse(matches: form.all("match[]"), start: form.get("start"), end: form.get("end"), required: required)
        } catch {
            return error.response
        }
        let tenant = context.tenant
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "series") { queryContext in
            let (found, warnings) = try await api.metricSeries(parsed.selectors, text: parsed.text, tenant: tenant, from: parsed.start,
                                                               to: parsed.end, context: queryContext)
            var buffer = ByteBuffer(string: #"{"status":"success","data":"#)
            switch answer {
            case .series:
                buffer.writeString("[")
                for (index, labels) in found.sorted(by: { $0.description < $1.description }).enumerated() {
                    if index > 0 { buffer.writeString(",") }
                    buffer.writeJSONObject(labels.map { ($0.name, $0.value) })
                }
                buffer.writeString("]")
            case .names:
                buffer.writeJSONStringArray(Set(found.flatMap { $0.map(\.name) }).sorted())
            case .values(let name):
                buffer.writeJSONStringArray(Set(found.compactMap { $0[name] }).sorted())
            }
            if !warnings.isEmpty {
                buffer.writeString(",\"warnings\":")
                buffer.writeJSONStringArray(warnings)
            }
            buffer.writeString("}\n")
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
        }
    }

    /// `match[]` selectors (`{__name__=~".+"}` when none is given and none
    /// is required), and the range.
    static func parse(matches: [String], start startText: String?, end endText: String?,
                      required: Bool) throws(APIFailure) -> (selectors: [VectorSelector], text: String, start: Int64, end: Int64) {
        var texts = matches.filter { !$0.isEmpty }
        if texts.isEmpty {
            guard !required else { throw APIFailure(.badRequest, "bad_data", "no match[] parameter provided") }
            texts = [#"{__name__=~".+"}"#]
        }
        var selectors: [VectorSelector] = []
        for text in texts {
            do {
                guard case .vector(let selector) = try QueryExpr.parse(text, language: .promql) else {
                    throw APIFailure(.badRequest, "bad_data", "invalid parameter \"match[]\": expected a series selector such as up{job=\"api\"}, found \"\(text)\"")
                }
                selectors.append(selector)
            } catch let failure as APIFailure {
                throw failure
            } catch {
                throw APIFailure(.badRequest, "bad_data", "invalid parameter \"match[]\": \(error)")
            }
        }
        let now = Self.now
        func time(_ name: String, _ text: String?) throws(APIFailure) -> Int64? {
            guard let text, !text.isEmpty else { return nil }
            do {
                return try QueryTime.parse(text, now: now)
            } catch {
                throw APIFailure(.badRequest, "bad_data", "invalid parameter \"\(name)\": expected \(error.expected), found \(error.found)")
            }
        }
        let end = try time("end", endText) ?? now
        let start = try time("start", startText) ?? QueryRequest.subtract(end, defaultRange)
        guard start <= end else { throw APIFailure(.badRequest, "bad_data", "invalid parameter \"end\": end timestamp must not be before start time") }
        // Peers of a cluster are sent this text and find the selectors in it.
        return (selectors, texts.joined(separator: " or "), start, end)
    }

    /// `metadata?metric=…&limit=…`: each metric name's type (counter or
    /// gauge, as stored), with empty help and unit (Tributary keeps none).
    private func metadata(_ form: QueryForm, _ context: NodeRequestContext) async -> Response {
        var limit = Int.max
        if let text = form.get("limit"), !text.isEmpty {
            guard let value = Int(text) else { return APIFailure(.badRequest, "bad_data", "invalid parameter \"limit\": expected a number, found \"\(text)\"").response }
            if value > 0 { limit = value }
        }
        let selector = form.get("metric").flatMap { $0.isEmpty ? nil : $0 }
            .map { "{__name__=\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"}" }
        let parsed: (selectors: [VectorSelector], text: String, start: Int64, end: Int64)
        do {
            parsed = try Self.parse(matches: [selector ?? #"{__name__=~".+"}"#], start: form.get("start"), end: form.get("end"), required: true)
        } catch {
            return error.response
        }
        let tenant = context.tenant
        return await api.admitted(tenant: tenant, channel: context.channel, kind: "series") { queryContext in
            let (found, _) = try await api.metricSeries(parsed.selectors, text: parsed.text, tenant: tenant, from: parsed.start, to: parsed.end,
                                                        context: queryContext)
            let names = Set(found.compactMap { $0["__name__"] }).sorted().prefix(limit)
            var buffer = ByteBuffer(string: #"{"status":"success","data":{"#)
            for (index, name) in names.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeJSONString(name)
                buffer.writeString(#":[{"type":""#)
                buffer.writeString(Self.type(of: name))
                buffer.writeString(#"","help":"","unit":""}]"#)
            }
            buffer.writeString("}}\n")
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
        }
    }

    /// Prometheus' naming conventions (the stored kind is not in the
    /// series' labels): `_total`/`_count`/`_sum`/`_bucket` are counters.
    static func type(of name: String) -> String {
        ["_total", "_count", "_sum", "_bucket"].contains(where: name.hasSuffix) ? "counter" : "gauge"
    }

    /// `status/buildinfo`, without the `features` map (Grafana reads
    /// one as a sign of Mimir or Cortex).
    static func buildInfo() -> Response {
        success("{\"version\":\"\(apiVersion)\",\"revision\":\"tributary-\(TributaryVersion.string)\",\"branch\":\"tributary\","
            + "\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}")
    }

    static func success(_ data: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"success\",\"data\":\(data)}\n")))
    }
}
