import Hummingbird
import NIOCore
import TributaryModel
import TributaryQuery
import TributaryStorage

/// The pieces of a query shared by Tributary's own answers and the Loki
/// and Prometheus APIs: admission, metric evaluation and log lines as
/// values (each API writes them in its own shape).
extension NodeAPI {
    /// A metric query's answer, before it is written.
    struct Evaluated: Sendable {
        var result: QueryResult
        var annotations: QueryAnnotations
        /// Blocks quarantined while reading, worded for `warnings`.
        var corrupt: [String]
        /// Set in a cluster: which partitions and nodes answered.
        var gathered: ClusterNode.Gathered<Void>?

        var warnings: [String] { annotations.warnings + corrupt }
    }

    /// Admits a query of `tenant` (429/503 when refused), runs `work` with
    /// its budget, and releases the slot; errors of `work` become the
    /// answers `failure` gives. `channel`: the request's connection, so a
    /// client that leaves stops the work.
    /// `render` writes a refusal or error (Prometheus' envelope by default;
    /// the Loki API answers plain text, as Loki does).
    func admitted(tenant: String, channel: (any Channel)?, kind: String, render: (APIFailure) -> Response = { $0.response },
                  _ work: (QueryContext) async throws -> Response) async -> Response {
        let slot: QuerySlot
        switch await queries.admit(tenant: tenant) {
        case .success(let admitted): slot = admitted
        case .failure(let refusal):
            metrics.countQueryError()
            let status: HTTPResponse.Status = if case .tenantLimit = refusal { .tooManyRequests } else { .serviceUnavailable }
            return render(APIFailure(status, "unavailable", refusal.description))
        }
        if let channel { await DisconnectWatcher.watch(channel, slot.budget) }
        defer {
            if let channel { DisconnectWatcher.unwatch(channel) }
            slot.release()
        }
        metrics.countQuery(kind: kind)
        do {
            return try await work(QueryContext(budget: slot.budget, pool: queries.pool))
        } catch let failure as APIFailure {
            metrics.countQueryError()
            return render(failure)
        } catch {
            return render(failureValue(error))
        }
    }

    /// Evaluates a PromQL or LogQL metric query over this node's partitions
    /// or, in a cluster, over what one replica of each partition answers.
    func evaluate(_ request: QueryRequest, tenant: String, context: QueryContext) async throws -> Evaluated {
        let engine = QueryEngine(maxSamples: queries.settings.maxSamples)
        let steps = request.instant ? QuerySteps.instant(request.end) : QuerySteps(start: request.start, end: request.end, step: request.step)
        let expr = request.expr
        let samples = expr.sampleWindow(steps, lookback: engine.lookback)
        let lines = expr.logWindow(steps)
        let store = self.store
        if let cluster {
            let source = try await context.bounded {
                try await cluster.querySource(request.text, expr, steps: steps, samples: samples, lines: lines, tenant: tenant, context: context)
            }
            let evaluated = try await context.run { try Self.evaluate(engine, request, steps, source.source) }
            return Evaluated(result: evaluated.result, annotations: evaluated.annotations, corrupt: [], gathered: source.gathered)
        }
        let windows = [samples, lines].compactMap { $0 }
        let from = windows.map(\.lowerBound).min() ?? request.start
        let to = windows.map(\.upperBound).max() ?? request.end
        let (evaluated, corrupt) = try await context.bounded {
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to))
            return try await context.run { [budget = context.budget] in
                let source = PartitionQuerySource(snapshots: snapshots, budget: budget, maxSamples: engine.maxSamples)
                let withPatterns = LogPatternQuerySource(base: source, patterns: store.patterns, tenant: tenant)
                return (try Self.evaluate(engine, request, steps, withPatterns), source.corrupt)
            }
        }
        for error in corrupt { await onCorruptBlock(error) }
        return Evaluated(result: evaluated.result, annotations: evaluated.annotations,
                         corrupt: corrupt.map { "\($0): quarantined, results may lack its samples" }, gathered: nil)
    }

    /// At most `limit` lines of a log query, newest first for `backward`,
    /// from this node or gathered across the cluster, with the warnings of
    /// the search (quarantined blocks, partitions no replica answered for).
    func logLines(_ query: LogQuery, start: Int64, end: Int64, limit: Int, direction: LogSearch.Direction, text: String,
                  tenant: String, context: QueryContext) async throws -> (lines: [LogLine], warnings: [String]) {
        if let cluster {
            let gathered = try await context.bounded {
                await cluster.logs(text, query, start: start, end: end, limit: limit, direction: direction, tenant: tenant, context: context)
            }
            var warnings = gathered.warnings
            if !gathered.missing.isEmpty {
                warnings.insert("partial result: no replica answered for \(gathered.missing.count) of \(gathered.partitions) partitions; their lines are absent", at: 0)
            }
            return (gathered.values.first ?? [], warnings)
        }
        let store = self.store
        let onCorrupt = self.onCorruptBlock
        let search = LogSearch(query: query, start: start, end: end, limit: limit, direction: direction)
        return try await context.bounded {
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: start, end: end)
            let warnings = WarningList()
            let collected = LineCollector()
            _ = try await search.run(snapshots, context: context, corrupt: { error in
                await warnings.add("\(error): quarantined, results may lack its lines")
                await onCorrupt(error)
            }) { lines in await collected.add(lines) }
            return (await collected.lines, await warnings.all)
        }
    }

    /// The log streams of `tenant` with lines in [from, to), from the
    /// indexes of this node's partitions (`LogStreamCatalog`).
    func localStreams(tenant: String, from: Int64, to: Int64, context: QueryContext) async throws -> Set<Labels> {
        let store = self.store
        return try await context.bounded {
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: to)
            return try await context.run { [budget = context.budget] in
                try LogStreamCatalog(from: from, to: to).streams(snapshots, budget: budget)
            }
        }
    }

    /// The metric series (labels with `__name__`) matching any of
    /// `selectors` with samples in [from, to], across the cluster when
    /// there is one. `text` is a PromQL expression holding the selectors
    /// (peers find them in it).
    func metricSeries(_ selectors: [VectorSelector], text: String, tenant: String, from: Int64, to: Int64,
                      context: QueryContext) async throws -> (series: Set<Labels>, warnings: [String]) {
        if let cluster {
            let gathered = try await context.bounded {
                await cluster.series(text, selectors: selectors, tenant: tenant, from: from, to: to, context: context)
            }
            return (Set((gathered.values.first ?? [:]).keys), gathered.warnings)
        }
        let store = self.store
        let maxSamples = queries.settings.maxSamples
        let (found, corrupt) = try await context.bounded {
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to))
            return try await context.run { [budget = context.budget] in
                var fetch = MetricFetch(snapshots: snapshots, budget: budget, maxSamples: maxSamples)
                var found: Set<Labels> = []
                for selector in selectors {
                    for series in try fetch.series(matching: selector.matchers, from: from, to: to) { found.insert(series.labels) }
                }
                return (found, fetch.corrupt)
            }
        }
        for error in corrupt { await onCorruptBlock(error) }
        return (found, corrupt.map { "\($0): quarantined, results may lack its series" })
    }
}

/// Lines gathered from a streamed search into one answer.
actor LineCollector {
    private(set) var lines: [LogLine] = []
    func add(_ more: [LogLine]) { lines += more }
}
