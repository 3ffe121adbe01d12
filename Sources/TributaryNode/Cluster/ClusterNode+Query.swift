import Foundation
import TributaryCluster
import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryWire

extension ClusterNode {
    /// A query's answer gathered from the replicas.
    struct Gathered<Value: Sendable>: Sendable {
        var values: [Value] = []
        var warnings: [String] = []
        /// Partitions no replica answered for: the result lacks them.
        var missing: [PartitionKey] = []
        var partitions = 0
        var nodes: Set<String> = []

        /// Adds another gathering's warnings, missing partitions and nodes
        /// (not its values).
        mutating func merge<Other>(_ other: Gathered<Other>) {
            warnings += other.warnings
            missing = (missing + other.missing).sorted()
            partitions = max(partitions, other.partitions)
            nodes.formUnion(other.nodes)
        }
    }

    /// The partitions of `tenant` a query over `[start, end)` must read:
    /// every shard of every bucket in range, within retention.
    func partitionsToRead(tenant: String, start: Int64, end: Int64) -> [PartitionKey] {
        let topology = self.topology.current
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let from = max(start, now - retention(tenant) - topology.partitionSpan)
        let to = min(end, now + 86_400_000_000_000)
        return topology.partitions(tenant: tenant, start: from, end: to)
    }

    /// Asks, for each partition, one replica (this node first when it is
    /// one, then by rank); a replica that fails has its partitions asked of
    /// the next. `ask(node, keys)` runs concurrently per node.
    ///
    /// This node's own copy lacks the writes its peers keep hints for, and
    /// only they know of those: while this node reads its copy it asks its
    /// peers (HINTS, concurrently, so a query costs no extra wait when its
    /// own read takes longer than that round trip). If one keeps hints for
    /// it, its answer is dropped and those partitions are read from another
    /// replica, its own copy last.
    func gather<Value: Sendable>(_ keys: [PartitionKey],
                                 ask: @escaping @Sendable (String, [PartitionKey]) async throws -> (Value, [String])) async -> Gathered<Value> {
        let topology = self.topology.current
        var gathered = Gathered<Value>()
        gathered.partitions = keys.count
        // Replicas this node keeps hints for have missed writes: they are
        // asked after the others, like peers known to be down.
        let behind = Set(await hints.pending().filter { $0.value.hints > 0 }.keys)
        var candidates: [PartitionKey: [String]] = [:]
        var ownCopyFirst = false
        for key in keys {
            var replicas = topology.replicas(of: key)
            if let local = replicas.firstIndex(of: nodeID) { replicas.insert(replicas.remove(at: local), at: 0) }
            let good = replicas.filter { $0 == nodeID || (client($0)?.isAvailable == true && !behind.contains($0)) }
            candidates[key] = good + replicas.filter { !good.contains($0) }
            if replicas.first == nodeID, replicas.count > 1 { ownCopyFirst = true }
        }
        // Only needed where this node would read its own copy while another
        // replica could answer.
        let peersWithHints: Task<Set<String>, Never>? = ownCopyFirst ? Task { await self.peersKeepingHintsForThisNode() } : nil
        var ownCopyChecked = peersWithHints == nil
        var failures: [String: String] = [:]
        while !candidates.isEmpty {
            var byNode: [String: [PartitionKey]] = [:]
            for (key, nodes) in candidates {
                guard let node = nodes.first else {
                    gathered.missing.append(key)
                    candidates[key] = nil
                    continue
                }
                byNode[node, default: []].append(key)
            }
            guard !byNode.isEmpty else { break }
            let results = await withTaskGroup(of: (String, Result<(Value, [String]), Error>).self) { group in
                for (node, keys) in byNode {
                    group.addTask {
                        do { return (node, .success(try await ask(node, keys.sorted()))) } catch { return (node, .failure(error)) }
                    }
                }
                var results: [(String, Result<(Value, [String]), Error>)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (node, result) in results {
                if node == nodeID, !ownCopyChecked, case .success = result {
                    ownCopyChecked = true
                    if let holders = await peersWithHints?.value, !holders.isEmpty {
                        // Read elsewhere; this node's copy stays the last resort.
                        for key in byNode[node]! {
                            candidates[key] = (candidates[key] ?? []).filter { $0 != nodeID } + [nodeID]
                        }
                        continue
                    }
                }
                switch result {
                case .success(let (value, warnings)):
                    gathered.values.append(value)
                    gathered.warnings += warnings
                    gathered.nodes.insert(node)
                    for key in byNode[node]! { candidates[key] = nil }
                case .failure(let error):
                    failures[node] = String(describing: error)
                    for key in byNode[node]! { candidates[key]?.removeFirst() }
                }
            }
        }
        peersWithHints?.cancel()
        for (node, reason) in failures.sorted(by: { $0.key < $1.key }) {
            gathered.warnings.append("\(node) did not answer (\(reason)); its partitions were read from other replicas where one answered")
        }
        if !gathered.missing.isEmpty {
            counters.add(.partialQueries)
            gathered.missing.sort()
        }
        return gathered
    }

    /// The peers that answer, within a short deadline, that they keep
    /// hints for this node. A peer that does not answer is not counted:
    /// this node cannot learn what it keeps (docs/cluster.md says so).
    func peersKeepingHintsForThisNode() async -> Set<String> {
        let peers = self.topology.current.activeMembers.filter { $0 != nodeID }
        let timeout = min(settings.requestTimeout, .seconds(2))
        return await withTaskGroup(of: String?.self) { group in
            for peer in peers {
                guard let client = client(peer), client.isAvailable else { continue }
                group.addTask {
                    guard let answer = try? await client.request(timeout: timeout, { .hints(requestID: $0) }),
                          case .partitionList(_, let count, _)? = answer.first, count > 0 else { return nil }
                    return peer
                }
            }
            var holders: Set<String> = []
            for await peer in group { if let peer { holders.insert(peer) } }
            return holders
        }
    }

    // MARK: Logs

    /// A log query across the cluster: at most `limit` lines, merged in time order.
    func logs(_ text: String, _ query: LogQuery, start: Int64, end: Int64, limit: Int, direction: LogSearch.Direction,
              tenant: String, context: QueryContext) async -> Gathered<[LogLine]> {
        let keys = partitionsToRead(tenant: tenant, start: start, end: end)
        let hash = topologyHash
        var gathered = await gather(keys) { [self] node, keys in
            if node == nodeID {
                return try await localLogs(query, tenant: tenant, start: start, end: end, limit: limit, direction: direction, keys: Set(keys),
                                           context: context)
            }
            guard let client = client(node) else { throw PeerError.unavailable(node: node, reason: "not in the topology") }
            let answer = try await client.request(timeout: settings.requestTimeout * 3, dropOnTimeout: false) { id in
                .queryLogs(requestID: id, PeerLogQuery(topologyHash: hash, tenant: tenant, query: text, start: start, end: end,
                                                       limit: limit, forward: direction == .forward, partitions: keys))
            }
            let (records, warnings) = try Self.records(of: answer, from: node)
            return (records.compactMap(LogLine.init), warnings)
        }
        var best = TopLines(limit: limit, newestFirst: direction == .backward)
        for lines in gathered.values { for line in lines { best.insert(line) } }
        gathered.values = [best.sorted()]
        return gathered
    }

    /// The query over this node's copies of `keys` only.
    func localLogs(_ query: LogQuery, tenant: String, start: Int64, end: Int64, limit: Int, direction: LogSearch.Direction,
                   keys: Set<PartitionKey>, context: QueryContext) async throws -> ([LogLine], [String]) {
        let snapshots = await store.partitions.snapshot(tenant: tenant, start: start, end: end).filter { keys.contains($0.key) }
        let search = LogSearch(query: query, start: start, end: end, limit: limit, direction: direction)
        let warnings = WarningList()
        var lines: [LogLine] = []
        let onCorrupt = self.onCorruptBlock
        _ = try await search.run(snapshots, context: context, corrupt: { error in
            await warnings.add("\(self.nodeID): \(error): quarantined, results may lack its lines")
            await onCorrupt(error)
        }) { found in lines += found }
        return (lines, await warnings.all)
    }

    func answerLogs(_ id: UInt64, _ request: PeerLogQuery) async -> [PeerMessage] {
        guard case .logs(let selector)? = try? QueryExpr.parse(request.query, language: .auto) else {
            return [.records(requestID: id, RecordsPage(more: false, error: "not a log query: \(request.query)"))]
        }
        let query = LogQuery(selector)
        do {
            let (lines, warnings) = try await localLogs(query, tenant: request.tenant, start: request.start, end: request.end,
                                                        limit: min(max(1, request.limit), QueryRequest.maxLimit), direction: request.forward ? .forward : .backward,
                                                        keys: Set(request.partitions), context: peerQueryContext())
            return Self.pages(id, records: lines.map(\.record), warnings: warnings)
        } catch {
            return [.records(requestID: id, RecordsPage(more: false, error: "\(nodeID) failed the query: \(error)"))]
        }
    }

    // MARK: Metrics

    /// What a metric query reads across the cluster, gathered before it is
    /// evaluated: the raw samples of its metric selectors in `samples`
    /// (from one replica per partition), as a source the engine reads in
    /// memory.
    func querySource(_ text: String, _ expr: QueryExpr, steps: QuerySteps, samples: ClosedRange<Int64>?, lines: ClosedRange<Int64>?,
                     tenant: String, context: QueryContext) async throws -> (source: GatheredQuerySource, gathered: Gathered<Void>) {
        var gathered = Gathered<Void>()
        var series: [MetricSeries] = []
        if let samples {
            let answer = await self.series(text, selectors: expr.metricSelectors, tenant: tenant, from: samples.lowerBound, to: samples.upperBound,
                                           context: context)
            for (labels, points) in answer.values.first ?? [:] {
                let sorted = points.sorted { $0.key < $1.key }
                series.append(MetricSeries(labels: labels, timestamps: sorted.map(\.key), values: sorted.map(\.value)))
            }
            gathered.merge(answer)
        }
        var logRanges: [(expr: LogRangeExpr, steps: QuerySteps, result: [MetricSeries])] = []
        let ranges = expr.logRanges
        if let lines, !ranges.isEmpty {
            let answer = await self.logRanges(text, ranges, steps: steps, tenant: tenant, from: lines.lowerBound, to: lines.upperBound,
                                              context: context)
            gathered.merge(answer)
            var merged = try ranges.map { try LogRangeAggregator($0, steps: steps).partials() }
            for part in answer.values {
                for index in merged.indices { try merged[index].merge(part[index]) }
            }
            for (range, partial) in zip(ranges, merged) {
                logRanges.append((range, steps, try partial.finish(range, steps: steps)))
            }
        }
        return (GatheredQuerySource(series: series, logRanges: logRanges), gathered)
    }

    /// The partial aggregates of each of `ranges` (a query's LogQL range
    /// aggregations) over the lines in [from, to], from one replica per
    /// partition: one array of partials (one per range) per node asked.
    func logRanges(_ text: String, _ ranges: [LogRangeExpr], steps: QuerySteps, tenant: String, from: Int64, to: Int64,
                   context: QueryContext) async -> Gathered<[LogRangePartials]> {
        let keys = partitionsToRead(tenant: tenant, start: from, end: QueryRequest.next(to))
        let hash = topologyHash
        return await gather(keys) { [self] node, keys in
            if node == nodeID {
                return try await localLogRanges(ranges, steps: steps, tenant: tenant, from: from, to: to, keys: Set(keys), context: context)
            }
            guard let client = client(node) else { throw PeerError.unavailable(node: node, reason: "not in the topology") }
            let answer = try await client.request(timeout: settings.requestTimeout * 3, dropOnTimeout: false) { id in
                .queryLogRange(requestID: id, PeerLogRangeQuery(topologyHash: hash, tenant: tenant, query: text, start: steps.start, end: steps.end,
                                                                step: steps.step, partitions: keys))
            }
            let (records, warnings) = try Self.records(of: answer, from: node)
            var partials = try ranges.map { try LogRangeAggregator($0, steps: steps).partials() }
            try LogRangePartialsCoding.merge(records, into: &partials)
            return (partials, warnings)
        }
    }

    func localLogRanges(_ ranges: [LogRangeExpr], steps: QuerySteps, tenant: String, from: Int64, to: Int64, keys: Set<PartitionKey>,
                        context: QueryContext) async throws -> ([LogRangePartials], [String]) {
        let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to)).filter { keys.contains($0.key) }
        let (partials, corrupt) = try await context.run { [budget = context.budget, maxSamples = queries.settings.maxSamples] in
            let source = PartitionQuerySource(snapshots: snapshots, budget: budget, maxSamples: maxSamples)
            let partials = try ranges.map { try source.logRangePartials($0, steps: steps) }
            return (partials, source.corrupt)
        }
        for error in corrupt { await onCorruptBlock(error) }
        return (partials, corrupt.map { "\(nodeID): \($0): quarantined, results may lack its lines" })
    }

    func answerLogRange(_ id: UInt64, _ request: PeerLogRangeQuery) async -> [PeerMessage] {
        guard let expr = try? QueryExpr.parse(request.query, language: .auto), request.step > 0, request.end >= request.start else {
            return [.records(requestID: id, RecordsPage(more: false, error: "not a LogQL metric query this node can read: \(request.query)"))]
        }
        let steps = QuerySteps(start: request.start, end: request.end, step: request.step)
        guard let window = expr.logWindow(steps) else { return Self.pages(id, records: [], warnings: []) }
        do {
            let (partials, warnings) = try await localLogRanges(expr.logRanges, steps: steps, tenant: request.tenant, from: window.lowerBound,
                                                                to: window.upperBound, keys: Set(request.partitions), context: peerQueryContext())
            return Self.pages(id, records: try LogRangePartialsCoding.records(partials, time: request.start), warnings: warnings)
        } catch {
            return [.records(requestID: id, RecordsPage(more: false, error: "\(nodeID) failed the query: \(error)"))]
        }
    }

    /// The raw samples of `selectors` between `from` and `to` (inclusive),
    /// from one replica per partition: series labels (with `__name__`) to
    /// samples by time. Peers are sent the query text and find the same
    /// selectors in it.
    func series(_ text: String, selectors: [VectorSelector], tenant: String, from: Int64, to: Int64,
                context: QueryContext) async -> Gathered<[Labels: [Int64: Double]]> {
        let keys = partitionsToRead(tenant: tenant, start: from, end: QueryRequest.next(to))
        let hash = topologyHash
        var gathered = await gather(keys) { [self] node, keys in
            if node == nodeID {
                return try await localSeries(selectors, tenant: tenant, from: from, to: to, keys: Set(keys), context: context)
            }
            guard let client = client(node) else { throw PeerError.unavailable(node: node, reason: "not in the topology") }
            let answer = try await client.request(timeout: settings.requestTimeout * 3, dropOnTimeout: false) { id in
                .querySeries(requestID: id, PeerSeriesQuery(topologyHash: hash, tenant: tenant, query: text, from: from, to: to, partitions: keys))
            }
            let (records, warnings) = try Self.records(of: answer, from: node)
            var samples: [Labels: [Int64: Double]] = [:]
            for case .metric(let sample) in records {
                samples[BlockWriter.streamLabels(of: .metric(sample)), default: [:]][sample.timestamp] = sample.value
            }
            return (samples, warnings)
        }
        var merged: [Labels: [Int64: Double]] = [:]
        for part in gathered.values {
            merged.merge(part) { existing, more in existing.merging(more) { first, _ in first } }
        }
        gathered.values = [merged]
        return gathered
    }

    func localSeries(_ selectors: [VectorSelector], tenant: String, from: Int64, to: Int64,
                     keys: Set<PartitionKey>, context: QueryContext) async throws -> ([Labels: [Int64: Double]], [String]) {
        let snapshots = await store.partitions.snapshot(tenant: tenant, start: from, end: QueryRequest.next(to)).filter { keys.contains($0.key) }
        let (samples, corrupt) = try await context.run { [budget = context.budget, maxSamples = queries.settings.maxSamples] in
            var fetch = MetricFetch(snapshots: snapshots, budget: budget, maxSamples: maxSamples)
            var samples: [Labels: [Int64: Double]] = [:]
            for selector in selectors {
                for series in try fetch.series(matching: selector.matchers, from: from, to: to) {
                    for (timestamp, value) in zip(series.timestamps, series.values) { samples[series.labels, default: [:]][timestamp] = value }
                }
            }
            return (samples, fetch.corrupt)
        }
        for error in corrupt { await onCorruptBlock(error) }
        return (samples, corrupt.map { "\(nodeID): \($0): quarantined, results may lack its samples" })
    }

    func answerSeries(_ id: UInt64, _ request: PeerSeriesQuery) async -> [PeerMessage] {
        guard let expr = try? QueryExpr.parse(request.query, language: .auto) else {
            return [.records(requestID: id, RecordsPage(more: false, error: "not a query this node can read: \(request.query)"))]
        }
        do {
            let (samples, warnings) = try await localSeries(expr.metricSelectors, tenant: request.tenant, from: request.from, to: request.to,
                                                            keys: Set(request.partitions), context: peerQueryContext())
            var records: [Record] = []
            for (labels, points) in samples {
                let name = labels["__name__"] ?? ""
                let rest = try Labels(labels.filter { $0.name != "__name__" })
                for (timestamp, value) in points {
                    records.append(.metric(MetricSample(name: name, labels: rest, timestamp: timestamp, value: value, kind: .gauge)))
                }
            }
            return Self.pages(id, records: records, warnings: warnings)
        } catch {
            return [.records(requestID: id, RecordsPage(more: false, error: "\(nodeID) failed the query: \(error)"))]
        }
    }

    /// Work a peer asks for runs on the query pool and stops when the peer
    /// has stopped waiting (3 × request_timeout); it is not admitted
    /// against the limits: the asking node's query already was.
    func peerQueryContext() -> QueryContext {
        QueryContext(budget: QueryBudget(timeout: settings.requestTimeout * 3), pool: queries.pool)
    }

    // MARK: Repair reads

    /// Every record this node holds of partition `key`; with `sealedOnly`,
    /// those of its sealed blocks only (what its digest covers).
    func localRecords(of key: PartitionKey, sealedOnly: Bool = false) async throws -> [Record] {
        guard let snapshot = await store.partitions.snapshot(tenant: key.tenant, start: key.start, end: key.end).first(where: { $0.key == key }) else {
            return []
        }
        var records: [Record] = []
        if sealedOnly {
            for path in snapshot.logBlocks + snapshot.metricBlocks where StorageFileNames.isSealedBlock(path) {
                let reader = try BlockReader(path: path)
                for chunk in reader.chunks { records += try reader.records(of: chunk) }
            }
            return records
        }
        for head in snapshot.heads {
            records += head.logs
            records += head.metrics
            for stored in head.batches {
                records += try BatchDecoder(limits: .unlimitedForStoredBatches).decode(stored.batch).filter(key.contains)
            }
        }
        for path in snapshot.logBlocks + snapshot.metricBlocks {
            let reader = try BlockReader(path: path)
            for chunk in reader.chunks { records += try reader.records(of: chunk) }
        }
        for path in snapshot.batchBlocks {
            let reader = try BatchBlockReader(path: path)
            for entry in reader.entries { records += try reader.records(of: entry, start: key.start, end: key.end, in: key) }
        }
        return records
    }

    func answerFetch(_ id: UInt64, _ key: PartitionKey) async -> [PeerMessage] {
        do {
            return Self.pages(id, records: try await localRecords(of: key, sealedOnly: true), warnings: [])
        } catch {
            return [.records(requestID: id, RecordsPage(more: false, error: "\(nodeID) cannot read \(key): \(error)"))]
        }
    }
}

extension LogLine {
    /// The line as a record again (query answers between nodes).
    var record: Record {
        if let eventType {
            return .event(ChangeEvent(type: eventType, labels: labels, timestamp: timestamp, message: message))
        }
        return .log(LogRecord(timestamp: timestamp, severity: severity ?? .unknown, labels: labels, message: message, fields: fields))
    }
}
