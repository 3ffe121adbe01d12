import Foundation
import Hummingbird
import NIOCore
import TributaryAPI
import TributaryModel
import TributaryQuery
import TributaryStorage

/// What the HTTP routes do: queries, status pages (`NodeAuthMiddleware`
/// has checked credentials before any of these runs).
struct NodeAPI: Sendable {
    let store: IngestStore
    /// Admission, deadlines and the thread pool of queries.
    let queries: QueryScheduler
    /// In a cluster, queries read one replica of every partition.
    let cluster: ClusterNode?
    let metrics: NodeMetrics
    let gauges: @Sendable () async -> NodeMetrics.Gauges
    let onCorruptBlock: @Sendable (BlockError) async -> Void
    /// The rule groups and their alerts, when node.yaml names rule files or receivers.
    var rules: RuleManager? = nil
    /// The push APIs (Loki, remote write, OTLP); set by `NodeService`.
    var pushReceiver: PushReceiver?
    /// Central agent configuration (`/api/v1/fleet/config`); set by `NodeService`.
    var fleetConfig: FleetConfigService?
    /// The fleet inventory (agents, sources); set by `NodeService`.
    var fleet: FleetRegistry?

    private static var nowNanoseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// `/api/v1/query_range` and `/api/v1/query`, GET or form POST, for
    /// `tenant` (`NodeAuthMiddleware` checked the `query` role and chose
    /// it): the request is checked (400), admitted (429/503), then run with
    /// a deadline on the query pool (503 timeout) and stopped if the client
    /// leaves.
    func query(_ request: Request, context: NodeRequestContext, tenant: String, instant: Bool) async -> Response {
        let parameters: QueryForm
        switch await QueryForm.read(request) {
        case .success(let form): parameters = form
        case .failure(let failure): metrics.countQueryError(); return failure.response
        }
        let parsed: QueryRequest
        do {
            parsed = try QueryRequest(parameters: { parameters.get($0) }, now: Self.nowNanoseconds, instant: instant)
        } catch {
            metrics.countQueryError()
            if case .query(let queryError) = error {
                return APIFailure(.badRequest, "bad_data", queryError.description, position: queryError.position).response
            }
            return APIFailure(.badRequest, "bad_data", error.description).response
        }
        let slot: QuerySlot
        switch await queries.admit(tenant: tenant) {
        case .success(let admitted): slot = admitted
        case .failure(let refusal):
            metrics.countQueryError()
            let status: HTTPResponse.Status = if case .tenantLimit = refusal { .tooManyRequests } else { .serviceUnavailable }
            return APIFailure(status, "unavailable", refusal.description).response
        }
        let channel = context.channel
        await DisconnectWatcher.watch(channel, slot.budget)
        let queryContext = QueryContext(budget: slot.budget, pool: queries.pool)
        if let selector = parsed.logs {
            metrics.countQuery(kind: "logs")
            let logQuery = LogQuery(selector)
            if cluster == nil { return await logs(logQuery, parsed, tenant: tenant, slot: slot, context: queryContext, channel: channel) }
            defer { DisconnectWatcher.unwatch(channel); slot.release() }
            return await clusterLogs(logQuery, parsed, tenant: tenant, cluster: cluster!, context: queryContext)
        }
        metrics.countQuery(kind: "metrics")
        defer { DisconnectWatcher.unwatch(channel); slot.release() }
        return await metricsQuery(parsed, tenant: tenant, context: queryContext)
    }

    /// A query stopped or failed before its answer began.
    func failure(_ error: Error) -> Response {
        failureValue(error).response
    }

    /// The API failure a query's error is answered with (counted).
    func failureValue(_ error: Error) -> APIFailure {
        metrics.countQueryError()
        switch error {
        case QueryStopped.timeout:
            return APIFailure(.serviceUnavailable, "timeout", String(describing: error))
        case let stopped as QueryStopped:
            return APIFailure(.serviceUnavailable, "canceled", stopped.description)
        default:
            return APIFailure(.unprocessableContent, "execution", String(describing: error))
        }
    }

    /// Streams lines as each partition is searched. The search runs in its
    /// own task; the answer starts once it has found lines or finished, so
    /// a query that runs out of time before finding any is a 503, and one
    /// that runs out later ends its JSON with `"error"` and `"errorType"`.
    private func logs(_ query: LogQuery, _ request: QueryRequest, tenant: String, slot: QuerySlot, context: QueryContext,
                      channel: any Channel) async -> Response {
        let store = self.store
        let onCorrupt = self.onCorruptBlock
        let began = ContinuousClock.now
        let search = LogSearch(query: query, start: request.start, end: request.end, limit: request.limit, direction: request.direction)
        let (events, sink) = AsyncThrowingStream<LogStreamEvent, Error>.makeStream()
        let (ready, readySignal) = AsyncStream<Error?>.makeStream()
        let producer = Task {
            do {
                let warnings = WarningList()
                let statistics = try await context.bounded {
                    let snapshots = await store.partitions.snapshot(tenant: tenant, start: request.start, end: request.end)
                    return try await search.run(snapshots, context: context, corrupt: { error in
                        await warnings.add("\(error): quarantined, results may lack its lines")
                        await onCorrupt(error)
                    }) { lines in
                        sink.yield(.lines(lines))
                        readySignal.yield(nil)
                    }
                }
                sink.yield(.finished(statistics, await warnings.all))
                sink.finish()
                readySignal.yield(nil)
            } catch {
                sink.finish(throwing: error)
                readySignal.yield(error)
            }
            readySignal.finish()
        }
        sink.onTermination = { _ in producer.cancel() }
        var firstError: Error?
        for await value in ready {
            firstError = value
            break
        }
        if let firstError {
            DisconnectWatcher.unwatch(channel)
            slot.release()
            return failure(firstError)
        }
        let metrics = self.metrics
        let body = ResponseBody { writer in
            defer {
                DisconnectWatcher.unwatch(channel)
                slot.release()
            }
            var head = ByteBuffer()
            head.writeString(#"{"status":"success","data":{"resultType":"lines","lines":["#)
            var first = true
            var statistics = LogSearch.Statistics()
            var warnings: [String] = []
            var failure: Error?
            var writeError: Error?
            do {
                reading: for try await event in events {
                    switch event {
                    case .lines(let lines):
                        for line in lines {
                            if !first { head.writeString(",\n") }
                            first = false
                            Self.write(line, into: &head)
                        }
                        do {
                            try await writer.write(head)
                        } catch {
                            writeError = error
                            break reading
                        }
                        head.clear()
                    case .finished(let finalStatistics, let finalWarnings):
                        statistics = finalStatistics
                        warnings = finalWarnings
                    }
                }
            } catch {
                failure = error
                metrics.countQueryError()
            }
            if let writeError {
                // The client is gone: stop the search and end the body.
                slot.budget.cancel(.clientGone)
                throw writeError
            }
            var tail = head
            tail.writeString("]},\"stats\":{")
            tail.writeString("\"partitions\":\(statistics.partitions),\"blocks\":\(statistics.blocks),\"chunksRead\":\(statistics.chunksRead),")
            tail.writeString("\"chunksSkipped\":\(statistics.chunksSkipped),\"headRecordsScanned\":\(statistics.headRecordsScanned),")
            let elapsed = ContinuousClock.now - began
            tail.writeString("\"lines\":\(statistics.linesMatched),\"seconds\":\(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))}")
            tail.writeString(",\"warnings\":")
            tail.writeJSONStringArray(warnings)
            if let failure {
                let type = if case QueryStopped.timeout = failure { "timeout" } else if failure is QueryStopped { "canceled" } else { "execution" }
                tail.writeString(",\"errorType\":\"\(type)\",\"error\":")
                tail.writeJSONString("the query stopped part-way; the lines above are incomplete: \(failure)")
            }
            tail.writeString("}\n")
            try await writer.write(tail)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
    }

    /// A log query across the cluster: gathered from one replica per
    /// partition, merged, then written; `partial` and `missing` say which
    /// partitions no replica answered for.
    private func clusterLogs(_ query: LogQuery, _ request: QueryRequest, tenant: String, cluster: ClusterNode, context: QueryContext) async -> Response {
        let began = ContinuousClock.now
        let gathered: ClusterNode.Gathered<[LogLine]>
        do {
            gathered = try await context.bounded {
                await cluster.logs(request.text, query, start: request.start, end: request.end, limit: request.limit,
                                   direction: request.direction, tenant: tenant, context: context)
            }
        } catch {
            return failure(error)
        }
        var buffer = ByteBuffer()
        buffer.writeString(#"{"status":"success","data":{"resultType":"lines","lines":["#)
        let lines = gathered.values.first ?? []
        for (index, line) in lines.enumerated() {
            if index > 0 { buffer.writeString(",\n") }
            Self.write(line, into: &buffer)
        }
        buffer.writeString("]},")
        Self.writeClusterTail(gathered, lines: lines.count, began: began, into: &buffer)
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// `"stats":{…},"partial":…,"missing":[…],"warnings":[…]` of a cluster answer.
    static func writeClusterTail<Value>(_ gathered: ClusterNode.Gathered<Value>, lines: Int, began: ContinuousClock.Instant,
                                        warnings extra: [String] = [], into buffer: inout ByteBuffer) {
        let elapsed = ContinuousClock.now - began
        buffer.writeString("\"stats\":{\"partitions\":\(gathered.partitions),\"nodes\":\(gathered.nodes.count),\"lines\":\(lines),")
        buffer.writeString("\"seconds\":\(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))}")
        buffer.writeString(",\"partial\":\(!gathered.missing.isEmpty),\"missing\":[")
        for (index, range) in MissingRange.merge(gathered.missing).enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString("{\"start\":\"\(QueryTime.format(range.start))\",\"end\":\"\(QueryTime.format(range.end))\",\"shards\":\(range.shards),\"missing_shards\":[")
            buffer.writeString(range.missingShards.map(String.init).joined(separator: ","))
            buffer.writeString("]}")
        }
        buffer.writeString("],\"warnings\":")
        var warnings = gathered.warnings + extra
        if !gathered.missing.isEmpty {
            warnings.insert("partial result: no replica answered for \(gathered.missing.count) of \(gathered.partitions) partitions (see missing); the lines of those are absent", at: 0)
        }
        buffer.writeJSONStringArray(warnings)
    }

    static func write(_ line: LogLine, into buffer: inout ByteBuffer) {
        buffer.writeString("{\"time\":\"\(QueryTime.format(line.timestamp))\",\"ns\":\"\(line.timestamp)\",\"labels\":")
        buffer.writeJSONObject(line.labels.map { ($0.name, $0.value) })
        if let severity = line.severity {
            buffer.writeString(",\"severity\":\"\(severity)\"")
        }
        if let type = line.eventType {
            buffer.writeString(",\"event\":")
            buffer.writeJSONString(type)
        }
        if !line.fields.isEmpty {
            buffer.writeString(",\"fields\":")
            buffer.writeJSONObject(line.fields.map { ($0.name, $0.value) })
        }
        buffer.writeString(",\"line\":")
        buffer.writeJSONString(bytes: line.message)
        buffer.writeString("}")
    }

    /// A PromQL query, or a LogQL metric query: evaluated by the query
    /// engine over this node's partitions, or in a cluster over the samples
    /// and log aggregates gathered from one replica per partition.
    private func metricsQuery(_ request: QueryRequest, tenant: String, context: QueryContext) async -> Response {
        let evaluated: Evaluated
        do {
            evaluated = try await evaluate(request, tenant: tenant, context: context)
        } catch {
            return failure(error)
        }
        var buffer = ByteBuffer()
        Self.write(evaluated.result, into: &buffer)
        if let gathered = evaluated.gathered {
            buffer.writeString(",")
            Self.writeClusterTail(gathered, lines: Self.seriesCount(evaluated.result), began: .now, warnings: evaluated.warnings, into: &buffer)
        } else {
            buffer.writeString(",\"warnings\":")
            buffer.writeJSONStringArray(evaluated.warnings)
        }
        if !evaluated.annotations.infos.isEmpty {
            buffer.writeString(",\"infos\":")
            buffer.writeJSONStringArray(evaluated.annotations.infos)
        }
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// Runs the engine: one time for an instant request, every step otherwise.
    static func evaluate(_ engine: QueryEngine, _ request: QueryRequest, _ steps: QuerySteps,
                                 _ source: any QuerySource) throws -> (result: QueryResult, annotations: QueryAnnotations) {
        request.instant
            ? try engine.instantWithAnnotations(request.expr, at: request.end, source: source)
            : try engine.rangeWithAnnotations(request.expr, steps: steps, source: source)
    }

    static func seriesCount(_ result: QueryResult) -> Int {
        switch result {
        case .scalar, .string: return 1
        case .vector(let samples): return samples.count
        case .matrix(let series): return series.count
        }
    }

    /// `{"status":"success","data":{"resultType":…,"result":…}` in
    /// Prometheus' shapes (the caller closes the object).
    static func write(_ result: QueryResult, into buffer: inout ByteBuffer) {
        buffer.writeString(#"{"status":"success","data":{"resultType":""#)
        switch result {
        case .scalar(let time, let value):
            buffer.writeString(#"scalar","result":["#)
            buffer.writeString("\(seconds(time)),\"\(format(value))\"]")
        case .string(let time, let value):
            buffer.writeString(#"string","result":["#)
            buffer.writeString("\(seconds(time)),")
            buffer.writeJSONString(value)
            buffer.writeString("]")
        case .vector(let samples):
            buffer.writeString(#"vector","result":["#)
            for (index, sample) in samples.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeString("{\"metric\":")
                buffer.writeJSONObject(sample.labels.map { ($0.name, $0.value) })
                buffer.writeString(",\"value\":[\(seconds(sample.time)),\"\(format(sample.value))\"]}")
            }
            buffer.writeString("]")
        case .matrix(let series):
            buffer.writeString(#"matrix","result":["#)
            for (index, one) in series.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeString("{\"metric\":")
                buffer.writeJSONObject(one.labels.map { ($0.name, $0.value) })
                buffer.writeString(",\"values\":[")
                for point in one.timestamps.indices {
                    if point > 0 { buffer.writeString(",") }
                    buffer.writeString("[\(seconds(one.timestamps[point])),\"\(format(one.values[point]))\"]")
                }
                buffer.writeString("]}")
            }
            buffer.writeString("]")
        }
        buffer.writeString("}")
    }

    /// Prometheus writes times as seconds with up to millisecond decimals.
    static func seconds(_ nanoseconds: Int64) -> String {
        let milliseconds = nanoseconds / 1_000_000
        let whole = milliseconds / 1000
        let fraction = abs(milliseconds % 1000)
        if fraction == 0 { return String(whole) }
        var text = String(fraction)
        text = String(repeating: "0", count: 3 - text.count) + text
        while text.hasSuffix("0") { text.removeLast() }
        return (milliseconds < 0 && whole == 0 ? "-0" : String(whole)) + "." + text
    }

    /// Prometheus formats: `+Inf`, `-Inf`, `NaN`, shortest decimal otherwise.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }


    /// `GET /api/v1/partitions`: the tenant's partitions on this node.
    /// `status` is written first, as Prometheus-style clients expect.
    func partitions(tenant: String) async -> Response {
        let entries = await store.partitions.list().filter({ $0.key.tenant == tenant }).map { entry in
            PartitionListEntry(start: QueryTime.format(entry.key.start), end: QueryTime.format(entry.key.end), name: entry.key.directoryName,
                               sealed: entry.seal != nil, records: entry.seal?.records, sha256: entry.seal?.digest)
        }
        var buffer = ByteBuffer(string: #"{"status":"success","data":"#)
        buffer.writeBytes(Response.encodedJSON(entries))
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// `GET /api/v1/cluster`: topology, nodes, hints, repair, partitions.
    func clusterStatus() async -> Response {
        guard let cluster else {
            return APIFailure(.notFound, "not_clustered", "this node runs on its own: its configuration has no cluster section").response
        }
        return .json(await cluster.status())
    }

    /// `POST /api/v1/cluster/repair`: runs a repair pass now and answers when it is done.
    func repairNow() async -> Response {
        guard let cluster else {
            return APIFailure(.notFound, "not_clustered", "this node runs on its own: its configuration has no cluster section").response
        }
        let repaired = await cluster.repairPass()
        var buffer = ByteBuffer(string: "{\"status\":\"success\",\"repaired_partitions\":\(repaired),\"note\":")
        if let note = cluster.repairState.withLock({ $0.lastError }) { buffer.writeJSONString(note) } else { buffer.writeString("null") }
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    func metricsPage() async -> Response {
        var text = metrics.render(await gauges())
        text += queries.metricsText()
        if let cluster { text += await cluster.metricsText() }
        if let rules { text += await rules.metricsText() }
        if let fleetConfig { text += await fleetConfig.metricsText() }
        if let fleet { text += fleet.metricsText() }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 200 when the node accepts writes; 503 with the reason when it
    /// answers BUSY for disk space or memory.
    func readiness() async throws -> Response {
        let gauges = await gauges()
        var reasons: [String] = []
        if gauges.ingestPaused { reasons.append("ingest paused: disk limit reached (max_disk_bytes or min_free_bytes)") }
        if await store.partitions.isOverloaded { reasons.append("ingest paused: block writing is behind (heads full)") }
        if let cluster { reasons += cluster.readinessProblems() }
        if reasons.isEmpty {
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ready\n")))
        }
        return Response(status: .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: reasons.joined(separator: "\n") + "\n")))
    }
}

/// Warnings gathered while a streamed query runs.
actor WarningList {
    private(set) var all: [String] = []
    func add(_ warning: String) { all.append(warning) }
}
