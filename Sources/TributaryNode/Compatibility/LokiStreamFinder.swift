import Foundation
import TributaryModel
import TributaryQuery

/// The log streams behind Loki's `labels`, `label/{name}/values` and
/// `series`, on one node or across a cluster.
///
/// - With a selector (`{app="api"}`, possibly with a pipeline) the streams
///   are the series of `count_over_time(<selector>[<range>])` at `end`,
///   evaluated like any LogQL metric query, so a cluster answers from one
///   replica of each partition.
/// - Without one (Grafana's label browser opening), a node on its own lists
///   the streams of its partitions' indexes (`LogStreamCatalog`). In a
///   cluster, the label names this node's indexes know are asked of every
///   partition as `count_over_time({name=~".+"}[…]) or …`: a stream whose
///   label names all are unknown to the answering node is missed (LogQL
///   has no selector that matches every stream), see docs/grafana.md.
struct LokiStreamFinder {
    let api: NodeAPI
    /// Label names asked for at most, in a cluster without a selector.
    static let maxNamesAsked = 64

    func streams(selector: String?, start: Int64, end: Int64, tenant: String,
                 context: QueryContext) async throws -> (streams: Set<Labels>, warnings: [String]) {
        if let selector {
            return try await counted(selector, start: start, end: end, tenant: tenant, context: context)
        }
        let local = try await api.localStreams(tenant: tenant, from: start, to: QueryRequest.next(end), context: context)
        guard api.cluster != nil else { return (local, []) }
        let names = Set(local.flatMap { $0.map(\.name) }).filter(Self.isPlainName).sorted().prefix(Self.maxNamesAsked)
        guard !names.isEmpty else { return (local, []) }
        let range = Self.rangeText(start: start, end: end)
        let text = names.map { "count_over_time({\($0)=~\".+\"}[\(range)])" }.joined(separator: " or ")
        let (found, warnings) = try await evaluate(text, end: end, tenant: tenant, context: context)
        return (found.union(local), warnings)
    }

    /// The series of `count_over_time(selector[range])`.
    private func counted(_ selector: String, start: Int64, end: Int64, tenant: String,
                         context: QueryContext) async throws -> (streams: Set<Labels>, warnings: [String]) {
        try Self.checkSelector(selector)
        return try await evaluate("count_over_time(\(selector)[\(Self.rangeText(start: start, end: end))])", end: end, tenant: tenant,
                                  context: context)
    }

    private func evaluate(_ text: String, end: Int64, tenant: String, context: QueryContext) async throws -> (streams: Set<Labels>, warnings: [String]) {
        let request: QueryRequest
        do {
            request = try QueryRequest(parameters: { ["query": text, "time": QueryTime.format(end)][$0] },
                                       now: Int64(Date().timeIntervalSince1970 * 1e9), instant: true)
        } catch {
            throw APIFailure(.badRequest, "bad_data", error.description)
        }
        let evaluated = try await api.evaluate(request, tenant: tenant, context: context)
        var found: Set<Labels> = []
        switch evaluated.result {
        case .vector(let samples): for sample in samples { found.insert(sample.labels) }
        case .matrix(let series): for one in series { found.insert(one.labels) }
        case .scalar, .string: break
        }
        return (found, evaluated.warnings)
    }

    /// A LogQL log query (`{…}` and an optional pipeline), else a 400.
    static func checkSelector(_ text: String) throws(APIFailure) {
        do {
            guard case .logs = try QueryExpr.parse(text, language: .logql) else {
                throw APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL stream selector such as {app=\"api\"}, found \"\(text)\"")
            }
        } catch let error as QueryError {
            throw APIFailure(.badRequest, "bad_data", "parameter query: \(error.description)")
        } catch let failure as APIFailure {
            throw failure
        } catch {
            throw APIFailure(.badRequest, "bad_data", "parameter query: \(error)")
        }
    }

    /// `end - start` as a LogQL range in milliseconds, at least `1ms`.
    static func rangeText(start: Int64, end: Int64) -> String {
        let span = UInt64(bitPattern: end &- start)
        return "\(max(1, (span + 999_999) / 1_000_000))ms"
    }

    /// A label name that needs no quoting in a selector.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
