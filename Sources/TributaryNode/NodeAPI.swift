import Foundation
import Hummingbird
import NIOCore
import TributaryModel
import TributaryQuery
import TributaryStorage

/// What the HTTP routes do: queries, status pages (`NodeAuthMiddleware`
/// has checked credentials before any of these runs).
struct NodeAPI: Sendable {
    let store: IngestStore
    /// In a cluster, queries read one replica of every partition.
    let cluster: ClusterNode?
    let metrics: NodeMetrics
    let gauges: @Sendable () async -> NodeMetrics.Gauges
    let onCorruptBlock: @Sendable (BlockError) async -> Void

    private static var nowNanoseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// A query of `tenant` (`NodeAuthMiddleware` checked the credential's
    /// `query` role and chose the tenant).
    func query(_ request: Request, tenant: String) async -> Response {
        let parameters = request.uri.queryParameters
        let parsed: QueryRequest
        do {
            parsed = try QueryRequest(parameters: { parameters.get($0) }, now: Self.nowNanoseconds)
        } catch {
            metrics.countQueryError()
            if case .query(let queryError) = error {
                return APIFailure(.badRequest, "bad_data", queryError.description, position: queryError.position).response
            }
            return APIFailure(.badRequest, "bad_data", error.description).response
        }
        switch parsed.query {
        case .logs(let logQuery):
            metrics.countQuery(kind: "logs")
            if let cluster { return await clusterLogs(logQuery, parsed, tenant: tenant, cluster: cluster) }
            return logs(logQuery, parsed, tenant: tenant)
        case .metrics(let metricQuery):
            metrics.countQuery(kind: "metrics")
            return await metricsQuery(metricQuery, parsed, tenant: tenant)
        }
    }

    /// Streams lines as each partition is searched.
    private func logs(_ query: LogQuery, _ request: QueryRequest, tenant: String) -> Response {
        let store = self.store
        let onCorrupt = self.onCorruptBlock
        let body = ResponseBody { writer in
            let began = ContinuousClock.now
            var head = ByteBuffer()
            head.writeString(#"{"status":"success","data":{"resultType":"lines","lines":["#)
            try await writer.write(head)
            let snapshots = await store.partitions.snapshot(tenant: tenant, start: request.start, end: request.end)
            let search = LogSearch(query: query, start: request.start, end: request.end, limit: request.limit, direction: request.direction)
            let warnings = WarningList()
            var first = true
            var statistics = LogSearch.Statistics()
            var failure: String?
            do {
                statistics = try await search.run(snapshots, corrupt: { error in
                    await warnings.add("\(error): quarantined, results may lack its lines")
                    await onCorrupt(error)
                }) { lines in
                    var buffer = ByteBuffer()
                    for line in lines {
                        if !first { buffer.writeString(",\n") }
                        first = false
                        Self.write(line, into: &buffer)
                    }
                    try await writer.write(buffer)
                }
            } catch {
                failure = String(describing: error)
            }
            var tail = ByteBuffer()
            tail.writeString("]},\"stats\":{")
            tail.writeString("\"partitions\":\(statistics.partitions),\"blocks\":\(statistics.blocks),\"chunksRead\":\(statistics.chunksRead),")
            tail.writeString("\"chunksSkipped\":\(statistics.chunksSkipped),\"headRecordsScanned\":\(statistics.headRecordsScanned),")
            let elapsed = ContinuousClock.now - began
            tail.writeString("\"lines\":\(statistics.linesMatched),\"seconds\":\(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))}")
            tail.writeString(",\"warnings\":[")
            for (index, warning) in (await warnings.all).enumerated() {
                if index > 0 { tail.writeString(",") }
                tail.writeJSONString(warning)
            }
            tail.writeString("]")
            if let failure {
                tail.writeString(",\"error\":")
                tail.writeJSONString("the query failed part-way; the lines above are incomplete: \(failure)")
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
    private func clusterLogs(_ query: LogQuery, _ request: QueryRequest, tenant: String, cluster: ClusterNode) async -> Response {
        let began = ContinuousClock.now
        let gathered = await cluster.logs(request.text, query, start: request.start, end: request.end, limit: request.limit,
                                          direction: request.direction, tenant: tenant)
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
    static func writeClusterTail<Value>(_ gathered: ClusterNode.Gathered<Value>, lines: Int, began: ContinuousClock.Instant, into buffer: inout ByteBuffer) {
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
        var warnings = gathered.warnings
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

    private func metricsQuery(_ query: MetricQuery, _ request: QueryRequest, tenant: String) async -> Response {
        let lookback = MetricEvaluator().lookback
        let widest = Self.widestRange(query)
        let from = request.start - max(lookback, widest)
        let result: [MetricSeries]
        var corrupt: [BlockError] = []
        var gathered: ClusterNode.Gathered<[Labels: [Int64: Double]]>?
        do {
            if let cluster {
                // Every selector's raw samples, from one replica per partition.
                let answer = await cluster.series(request.text, query, tenant: tenant, from: from, to: request.end)
                gathered = answer
                let samples = answer.values.first ?? [:]
                result = try MetricEvaluator().evaluate(query, start: request.start, end: request.end, step: request.step) { name, matchers, from, to in
                    samples.compactMap { labels, points -> MetricSeries? in
                        guard labels["__name__"] == name, matchers.allSatisfy({ $0.matches(labels) }) else { return nil }
                        let kept = points.filter { $0.key >= from && $0.key <= to }.sorted { $0.key < $1.key }
                        return kept.isEmpty ? nil : MetricSeries(labels: labels, timestamps: kept.map(\.key), values: kept.map(\.value))
                    }
                }
            } else {
                let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: request.end + 1)
                var fetch = MetricFetch(snapshots: snapshots)
                result = try MetricEvaluator().evaluate(query, start: request.start, end: request.end, step: request.step) { name, matchers, from, to in
                    try fetch.series(name: name, matchers: matchers, from: from, to: to)
                }
                corrupt = fetch.corrupt
            }
        } catch {
            metrics.countQueryError()
            return APIFailure(.unprocessableContent, "execution", String(describing: error)).response
        }
        for error in corrupt { await onCorruptBlock(error) }
        var buffer = ByteBuffer()
        buffer.writeString(#"{"status":"success","data":{"resultType":"matrix","result":["#)
        for (index, series) in result.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString("{\"metric\":")
            buffer.writeJSONObject(series.labels.map { ($0.name, $0.value) })
            buffer.writeString(",\"values\":[")
            for point in series.timestamps.indices {
                if point > 0 { buffer.writeString(",") }
                let seconds = Double(series.timestamps[point]) / 1e9
                buffer.writeString("[\(seconds),\"\(Self.format(series.values[point]))\"]")
            }
            buffer.writeString("]}")
        }
        buffer.writeString("]}")
        if let gathered {
            buffer.writeString(",")
            Self.writeClusterTail(gathered, lines: result.count, began: .now, into: &buffer)
        }
        if !corrupt.isEmpty {
            buffer.writeString(",\"warnings\":[")
            for (index, error) in corrupt.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeJSONString("\(error): quarantined, results may lack its samples")
            }
            buffer.writeString("]")
        }
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// Prometheus formats: `+Inf`, `-Inf`, `NaN`, shortest decimal otherwise.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    private static func widestRange(_ query: MetricQuery) -> Int64 {
        switch query {
        case .selector: return 0
        case .range(_, _, _, let milliseconds): return milliseconds * 1_000_000
        case .aggregate(_, _, let inner): return widestRange(inner)
        }
    }

    func partitions(tenant: String) async -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"status":"success","data":["#)
        for (index, entry) in await store.partitions.list().filter({ $0.key.tenant == tenant }).enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString("{\"start\":\"\(QueryTime.format(entry.key.start))\",\"end\":\"\(QueryTime.format(entry.key.end))\",\"name\":\"\(entry.key.directoryName)\"")
            if let seal = entry.seal {
                buffer.writeString(",\"sealed\":true,\"records\":\(seal.records),\"sha256\":\"\(seal.digest)\"}")
            } else {
                buffer.writeString(",\"sealed\":false}")
            }
        }
        buffer.writeString("]}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// `GET /api/v1/cluster`: topology, nodes, hints, repair, partitions.
    func clusterStatus() async -> Response {
        guard let cluster else {
            return APIFailure(.notFound, "not_clustered", "this node runs on its own: its configuration has no cluster section").response
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: await cluster.status()))
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
        if let cluster { text += await cluster.metricsText() }
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
