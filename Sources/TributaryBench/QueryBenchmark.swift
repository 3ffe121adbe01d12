import Foundation
import Logging
import NIOCore
import TributaryHTTPClient
import TributaryModel
import TributaryNode
import TributaryPKI
import TributaryStorage
import TributaryTLS
import TributaryWire

/// `trib bench query`: loads Loghub lines replicated with shifted
/// timestamps and varied labels into a node (in-process, through its
/// write-ahead log, heads, flushes and seals), waits until every ended
/// bucket is sealed, then times a substring search for a token that occurs
/// in a handful of lines, over the last hour and over everything, through
/// the HTTP API. Also compares the data directory with `gzip -6` of the
/// same lines, and times two metric queries: a LogQL count over every line
/// (`logql_count_all_s`) and a PromQL rate over a metric load of
/// `metricSeries` counters sampled every 10 s for `metricHours`
/// (`promql_range_s`; none when `metricSeries` is 0). Each answer is
/// checked against what was loaded.
///
/// Figures are handed to `emit` as soon as they are measured (a run at
/// full scale takes many minutes, and a failure late in it must not lose
/// what was measured before); `run` returns them all in one report too.
/// Each timed request also reports the CPU seconds the process spent on it
/// (`…_cpu_s`, node and client together, the node being in-process).
public struct QueryBenchmark: Sendable {
    public var records = 10_000_000
    public var hours = 48
    public var hosts = 20
    public var repetitions = 5
    /// The PromQL load: counters, one sample every 10 s each; 0 skips it.
    public var metricSeries = 10_000
    public var metricHours = 24
    /// Also load the lines into a second node whose sealed blocks hold
    /// plain lines (the format before templates), and time the same log
    /// queries on it, interleaved with the first node's (`plain_…` figures).
    public var plainReference = true
    /// The LogQL query counts lines holding this, per app.
    static let logqlNeedle = "error"
    /// Occurs only in the lines the benchmark plants it in.
    public static let needle = "tribneedle42"
    /// Where the needle is planted, as fractions of the load (the last two
    /// fall in the last hour).
    static let plantedAt: [Double] = [0.05, 0.3, 0.55, 0.8, 0.9995, 0.99995]

    public init() {}

    public func run(corpus: LoghubCorpus, progress: @Sendable (String) -> Void = { _ in },
                    emit: @Sendable (BenchmarkReport) -> Void = { _ in }) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var all = BenchmarkReport(bench: "query")
        all.add("records", records)
        func publish(_ report: BenchmarkReport) {
            emit(report)
            all.append(report)
        }
        var logger = Logger(label: "tributary.bench.query")
        logger.logLevel = .warning
        var storage = PartitionSettings()
        storage.sealGrace = 0
        storage.retireDelay = 0
        var plainStorage = storage
        plainStorage.templatedSeals = false
        // The HTTP API over TLS, as every node serves it.
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let files = try CertificateFiles.write(
            authority.issue(commonName: "bench-query", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]), name: "bench-query", to: directory)
        var serverTLS = TLSConfiguration()
        serverTLS.certificateChainFile = files.certificate.path
        serverTLS.privateKeyFile = files.key.path
        var clientTLS = TLSConfiguration()
        clientTLS.trustedCAFile = directory.appendingPathComponent("ca.pem").path
        let client = HTTPGetClient.TLS(context: try TLSContext(configuration: clientTLS, role: .client))
        var configuration = NodeConfiguration(
            nodeID: "bench-query", dataDirectory: directory.appendingPathComponent("data").path, tls: serverTLS,
            credentials: IngestCredentials(tokens: ["bench-token": "bench"]), storage: storage, minFreeBytes: 0)
        // The PromQL query reads every sample of its day: metricSeries × 8,640 and more.
        configuration.query.maxSamples = max(configuration.query.maxSamples, metricSamples * 2)
        configuration.query.timeout = .seconds(600)
        let node = try await NodeService.start(configuration, logger: logger)
        var plain: NodeService?
        if plainReference {
            var plainConfiguration = configuration
            plainConfiguration.nodeID = "bench-query-plain"
            plainConfiguration.dataDirectory = directory.appendingPathComponent("plain-data").path
            plainConfiguration.storage = plainStorage
            plain = try await NodeService.start(plainConfiguration, logger: logger)
        }

        let gzip = try GzipCounter()
        let began = ContinuousClock.now
        progress("load: \(records) records into \(plain == nil ? "one node" : "two nodes (templated, plain)")")
        let (rawBytes, errorLines) = try await load(into: [node] + (plain.map { [$0] } ?? []), corpus: corpus, gzip: gzip, progress: progress)
        let gzipBytes = try gzip.finish()
        try await node.flush()
        try await plain?.flush()
        progress("seal: loaded \(records) records (\(rawBytes / 1_000_000) MB of text) in \(BenchmarkReport.formatted(Self.seconds(ContinuousClock.now - began), decimals: 1)) s; sealing")
        try await settle(node)
        if let plain { try await settle(plain) }
        let settled = Self.seconds(ContinuousClock.now - began)
        let diskBytes = Self.bytes(under: directory.appendingPathComponent("data").path)
        let plainDiskBytes = Self.bytes(under: directory.appendingPathComponent("plain-data").path)
        let breakdown = Self.breakdown(directory.appendingPathComponent("data").path)
        progress("seal: settled after \(BenchmarkReport.formatted(settled, decimals: 1)) s: \(diskBytes / 1_000_000) MB on disk, gzip -6 \(gzipBytes / 1_000_000) MB")
        var sizes = BenchmarkReport(bench: "query")
        sizes.add("storage_vs_gzip6", Double(diskBytes) / Double(gzipBytes), decimals: 3)
        if plainReference { sizes.add("plain_storage_vs_gzip6", Double(plainDiskBytes) / Double(gzipBytes), decimals: 3) }
        sizes.add("disk_bytes", diskBytes)
        sizes.add("gzip6_bytes", gzipBytes)
        sizes.add("raw_bytes", rawBytes)
        sizes.add("sealed_data_bytes", breakdown.sealed - breakdown.filters)
        sizes.add("sealed_filter_bytes", breakdown.filters)
        sizes.add("open_batch_bytes", breakdown.open)
        sizes.add("wal_bytes", breakdown.wal)
        sizes.add("load_and_settle_s", settled, decimals: 1)
        publish(sizes)

        // Each query once per node per round, the nodes taking turns.
        let targets = [("", node)] + (plain.map { [("plain_", $0)] } ?? [])
        let expectedInHour = Self.plantedAt.filter { (1 - $0) * Double(hours) < 0.99 }.count
        progress("search: \(Self.needle) over the last hour")
        publish(try interleaved("rare_token_1h_s", targets, path: searchPath(start: "1h"), tls: client) { try Self.checkSearch($0, expected: expectedInHour) })
        progress("search: \(Self.needle) over everything")
        publish(try interleaved("rare_token_all_s", targets, path: searchPath(start: "\(hours + 2)h"), tls: client) {
            try Self.checkSearch($0, expected: Self.plantedAt.count)
        })
        progress("search: LogQL count of \(Self.logqlNeedle) over everything")
        publish(try interleaved("logql_count_all_s", targets, path: logqlCountPath, tls: client) { try Self.checkLogQLCount($0, expected: errorLines) })
        if let plain { await plain.stop() }

        if metricSeries > 0 {
            progress("metrics: loading \(metricSeries) counters × \(metricHours) h at 10 s")
            let metricBegan = ContinuousClock.now
            let (firstSample, lastSample) = try await loadMetrics(into: node)
            try await node.flush()
            try await settle(node)
            var metrics = BenchmarkReport(bench: "query")
            metrics.add("metric_samples", metricSamples)
            metrics.add("metric_load_and_settle_s", Self.seconds(ContinuousClock.now - metricBegan), decimals: 1)
            progress("metrics: PromQL rate over \(metricHours) h")
            metrics.append(try interleaved("promql_range_s", [("", node)], path: promqlRangePath(from: firstSample, to: lastSample), tls: client) {
                try checkPromQLRange($0)
            })
            publish(metrics)
        }
        await node.stop()
        var memory = BenchmarkReport(bench: "query")
        memory.add("peak_rss_mb", ProcessUsage.peakResidentMegabytes(), decimals: 0)
        publish(memory)
        progress("done")
        return [all]
    }

    /// Sends the records in batches of 1,000, time-ordered over `hours`
    /// hours ending 10 s ago, four batches at a time.
    /// Returns the raw bytes and, per app, the lines holding `logqlNeedle`.
    private func load(into nodes: [NodeService], corpus: LoghubCorpus, gzip: GzipCounter,
                      progress: @Sendable (String) -> Void) async throws -> (Int, [String: Int]) {
        let lines = corpus.files.flatMap { file in file.lines.map { (file.name, $0) } }
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000 - 10_000_000_000
        let span = Int64(hours) * 3_600_000_000_000
        let first = now - span
        let batchSize = 1000
        let planted = Set(Self.plantedAt.map { Int(Double(records) * $0) })
        var rawBytes = 0
        var errorLines: [String: Int] = [:]
        var sequence: UInt64 = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for start in stride(from: 0, to: records, by: batchSize) {
                var batchRecords: [Record] = []
                batchRecords.reserveCapacity(batchSize)
                var text = ""
                for index in start..<min(records, start + batchSize) {
                    let (file, line) = lines[index % lines.count]
                    let message = planted.contains(index) ? line + " " + Self.needle : line
                    let app = String(file.prefix { $0 != "_" }).lowercased()
                    let labels = try Labels(["app": app, "host": "host-\((index / lines.count) % hosts)"])
                    if message.contains(Self.logqlNeedle) { errorLines[app, default: 0] += 1 }
                    batchRecords.append(.log(LogRecord(timestamp: first + span / Int64(records) * Int64(index), severity: .info,
                                                       labels: labels, message: message)))
                    text += message
                    text += "\n"
                }
                rawBytes += text.utf8.count
                try gzip.write(text)
                sequence += 1
                let batch = try BatchEncoder().encode(batchRecords, agentID: "bench-loader", sequence: sequence)
                for node in nodes {
                    if running >= 4 {
                        try await group.next()
                        running -= 1
                    }
                    group.addTask { [batchRecords] in
                        while true {
                            switch try await node.ingest(batch, records: batchRecords, tenant: "bench") {
                            case .stored, .duplicate: return
                            case .busy: try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                    running += 1
                }
                if sequence % 1000 == 0 { progress("load: \(start + batchSize) records") }
            }
            try await group.waitForAll()
        }
        return (rawBytes, errorLines)
    }

    var metricSamples: Int { metricSeries * metricHours * 360 }

    /// `bench_requests_total{host, instance}`: `metricSeries` counters over
    /// `hosts` hosts, one sample every 10 s for `metricHours` ending 10 s
    /// ago, each rising by 1 per sample (a rate of 0.1/s), 1,000 series
    /// per batch.
    /// Returns the first and last sample times (ns).
    private func loadMetrics(into node: NodeService) async throws -> (Int64, Int64) {
        let step: Int64 = 10_000_000_000
        let samplesPerSeries = metricHours * 360
        let last = (Int64(Date().timeIntervalSince1970) - 10) / 10 * step
        let first = last - Int64(samplesPerSeries - 1) * step
        let labels = try (0..<metricSeries).map { series in
            try Labels(["host": "host-\(series % hosts)", "instance": "i-\(series)"])
        }
        var sequence: UInt64 = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for sample in 0..<samplesPerSeries {
                let time = first + Int64(sample) * step
                for chunk in stride(from: 0, to: metricSeries, by: 1000) {
                    let records = labels[chunk..<min(metricSeries, chunk + 1000)].map { labels in
                        Record.metric(MetricSample(name: "bench_requests_total", labels: labels, timestamp: time, value: Double(sample), kind: .counter))
                    }
                    sequence += 1
                    let batch = try BatchEncoder().encode(records, agentID: "bench-metrics", sequence: sequence)
                    if running >= 4 {
                        try await group.next()
                        running -= 1
                    }
                    group.addTask {
                        while true {
                            switch try await node.ingest(batch, records: records, tenant: "bench") {
                            case .stored, .duplicate: return
                            case .busy: try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                    running += 1
                }
            }
            try await group.waitForAll()
        }
        return (first, last)
    }

    /// `sum by (app) (count_over_time({app=~".+"} |= "error" [1h]))` over
    /// the whole load at step 1h.
    private var logqlCountPath: String {
        let query = #"sum by (app) (count_over_time({app=~".+"} |= "\#(Self.logqlNeedle)" [1h]))"#
        return HTTPQueryPath.make("/api/v1/query_range", [("query", query), ("start", "\(hours + 2)h"), ("end", "now"), ("step", "1h")])
    }

    /// The windows tile the range, so the points of each app must add up to
    /// its lines holding the needle.
    private static func checkLogQLCount(_ document: [String: Any], expected: [String: Int]) throws {
        var counted: [String: Int] = [:]
        for entry in try result(document) {
            guard let app = (entry["metric"] as? [String: String])?["app"], let values = entry["values"] as? [[Any]] else {
                throw QueryBenchmarkError.wrongResult("the LogQL count answered a series without app or values")
            }
            counted[app, default: 0] += values.reduce(0) { $0 + Int(Double($1.last as? String ?? "") ?? 0) }
        }
        guard counted == expected else {
            throw QueryBenchmarkError.wrongResult("the LogQL count counted \(counted.sorted { $0.key < $1.key }), loaded \(expected.sorted { $0.key < $1.key })")
        }
    }

    /// `sum by (host) (rate(bench_requests_total[5m]))` over the loaded span
    /// at step 1m, from 5 minutes after the first sample (so that every
    /// window is full) to the last.
    private func promqlRangePath(from first: Int64, to last: Int64) -> String {
        let query = "sum by (host) (rate(bench_requests_total[5m]))"
        let start = first / 1_000_000_000 + 300
        return HTTPQueryPath.make("/api/v1/query_range", [("query", query), ("start", String(start)), ("end", String(last / 1_000_000_000)),
                                                          ("step", "1m")])
    }

    /// Every point must be 0.1/s times the host's counters.
    private func checkPromQLRange(_ document: [String: Any]) throws {
        let perHost = Double(metricSeries / hosts) * 0.1
        let series = try Self.result(document)
        guard series.count == hosts else { throw QueryBenchmarkError.wrongResult("the PromQL rate answered \(series.count) series, expected \(hosts)") }
        for entry in series {
            for point in entry["values"] as? [[Any]] ?? [] {
                let value = Double(point.last as? String ?? "") ?? .nan
                if abs(value - perHost) > perHost * 1e-6 {
                    throw QueryBenchmarkError.wrongResult("the PromQL rate answered a point of \(value), expected \(perHost): \(entry["metric"] ?? "")")
                }
            }
        }
    }

    /// `{app=~".+"} |= "tribneedle42"` from `start` to now.
    private func searchPath(start: String) -> String {
        let query = #"{app=~".+"} |= "\#(Self.needle)""#
        // `{app=~".+"}`: the + must reach the node as a plus, not a space.
        return HTTPQueryPath.make("/api/v1/query_range", [("query", query), ("start", start), ("limit", "100")])
    }

    private static func checkSearch(_ document: [String: Any], expected: Int) throws {
        let lines = ((document["data"] as? [String: Any])?["lines"] as? [Any])?.count ?? -1
        guard document["status"] as? String == "success", lines == expected else {
            throw QueryBenchmarkError.wrongResult("the search for \(needle) found \(lines) lines, expected \(expected)")
        }
    }

    private static func result(_ document: [String: Any]) throws -> [[String: Any]] {
        guard document["status"] as? String == "success", let series = (document["data"] as? [String: Any])?["result"] as? [[String: Any]] else {
            throw QueryBenchmarkError.wrongResult("a query did not succeed: \(document)")
        }
        return series
    }

    /// `repetitions` rounds of `path`, once per target per round (the
    /// targets taking turns, so that the machine's load falls on each
    /// alike); each answer goes through `check`. Reports the median wall
    /// and CPU seconds per target as `prefix + name` and its `…_cpu_s`.
    private func interleaved(_ name: String, _ targets: [(prefix: String, node: NodeService)], path: String, tls: HTTPGetClient.TLS,
                             check: ([String: Any]) throws -> Void) throws -> BenchmarkReport {
        var wall = Array(repeating: [Double](), count: targets.count)
        var cpu = wall
        for _ in 0..<repetitions {
            for (index, target) in targets.enumerated() {
                let (seconds, cpuSeconds, document) = try request(target.node, path: path, tls: tls)
                try check(document)
                wall[index].append(seconds)
                cpu[index].append(cpuSeconds)
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var report = BenchmarkReport(bench: "query")
        let cpuName = String(name.dropLast(2)) + "_cpu_s"
        for (index, target) in targets.enumerated() {
            report.add(target.prefix + name, median(wall[index]), decimals: 3)
            report.add(target.prefix + cpuName, median(cpu[index]), decimals: 3)
        }
        return report
    }

    /// One GET of `path`: wall and CPU seconds, and the decoded answer.
    private func request(_ node: NodeService, path: String, tls: HTTPGetClient.TLS) throws -> (Double, Double, [String: Any]) {
        var body: [UInt8] = []
        let cpuBefore = ProcessUsage.cpuSeconds()
        let began = ContinuousClock.now
        try HTTPGetClient.get(host: "127.0.0.1", port: node.httpPort, path: path,
                              headers: ["Authorization": "Bearer bench-token"], tls: tls, status: { _ in }, body: { body += $0 })
        let seconds = Self.seconds(ContinuousClock.now - began)
        let cpuSeconds = ProcessUsage.cpuSeconds() - cpuBefore
        guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw QueryBenchmarkError.wrongResult("\(path) answered \(String(decoding: body.prefix(400), as: UTF8.self))")
        }
        return (seconds, cpuSeconds, document)
    }

    /// Waits until every partition whose bucket has ended is sealed.
    private func settle(_ node: NodeService) async throws {
        let deadline = ContinuousClock.now + .seconds(1800)
        while ContinuousClock.now < deadline {
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            let pending = await node.partitions().filter { $0.seal == nil && $0.key.end <= now }
            if pending.isEmpty {
                // One more maintenance round deletes the blocks the seals replaced.
                try await Task.sleep(for: .seconds(3))
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw QueryBenchmarkError.wrongResult("partitions did not seal within 30 minutes")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Bytes of sealed blocks (and of their trigram filters), of batch
    /// blocks of partitions still open, and of the write-ahead log.
    static func breakdown(_ directory: String) -> (sealed: Int, filters: Int, open: Int, wal: Int) {
        var result = (sealed: 0, filters: 0, open: 0, wal: 0)
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            let path = directory + "/" + name
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
            let file = (name as NSString).lastPathComponent
            if file.hasPrefix("sl-") || file.hasPrefix("sm-") {
                result.sealed += size
                if let reader = try? BlockReader(path: path) {
                    result.filters += reader.chunks.reduce(0) { $0 + $1.filter.byteCount }
                }
            } else if file.hasPrefix("b-") || file.hasPrefix("l-") || file.hasPrefix("m-") {
                result.open += size
            } else if file.hasPrefix("wal-") {
                result.wal += size
            }
        }
        return result
    }

    static func bytes(under directory: String) -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name),
               attributes[.type] as? FileAttributeType == .typeRegular {
                total += (attributes[.size] as? Int) ?? 0
            }
        }
        return total
    }
}

enum QueryBenchmarkError: Error, CustomStringConvertible {
    case wrongResult(String)
    var description: String {
        switch self {
        case .wrongResult(let detail): return "query benchmark: \(detail)"
        }
    }
}

/// Counts the bytes `gzip -6` makes of what is written to it: the real
/// tool, in its own process, fed through a pipe.
final class GzipCounter: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let counted = Counted()

    private final class Counted: @unchecked Sendable {
        let lock = NSLock()
        var bytes = 0
        let done = DispatchSemaphore(value: 0)
    }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-6", "-c"]
        process.standardInput = input
        process.standardOutput = output
        let counted = self.counted
        let handle = output.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                counted.lock.lock()
                counted.bytes += data.count
                counted.lock.unlock()
            }
            counted.done.signal()
        }
        try process.run()
    }

    func write(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    func finish() throws -> Int {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        counted.done.wait()
        guard process.terminationStatus == 0 else { throw QueryBenchmarkError.wrongResult("gzip exited with \(process.terminationStatus)") }
        return counted.bytes
    }
}
