import Foundation
import Logging
import TributaryHTTPClient
import TributaryNode

/// `trib bench push`: the push APIs end to end over loopback, until every
/// request is acknowledged, i.e. durable in the node's write-ahead log.
///
/// - Remote write: `series` series, `rounds` samples each, in requests of
///   `samplesPerRequest` samples (snappy `WriteRequest`s, as Prometheus
///   sends them), into a node and into VictoriaMetrics (the reference),
///   from the same prebuilt bodies and the same `connections` senders.
/// - Loki push: `lines` Loghub lines in protobuf+snappy requests of
///   `linesPerRequest` lines.
///
/// Both targets serve plain HTTP here (VictoriaMetrics has no TLS in its
/// single-node server's defaults); every answer is checked afterwards by
/// querying what was stored.
public struct PushBenchmark: Sendable {
    public var series = 10_000
    public var rounds = 100
    public var samplesPerRequest = 1_000
    public var lines = 1_000_000
    public var linesPerRequest = 1_000
    public var connections = 4
    /// Whether each sender keeps its connection (as Prometheus' shards do) instead of one per request.
    public var keepAlive = false
    public var victoriaMetrics = "/usr/bin/victoria-metrics"

    public init() {}

    static let token = "bench-push-token"

    public func run(corpus: LoghubCorpus, progress: @Sendable (String) -> Void = { _ in }) async throws -> [BenchmarkReport] {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let samples = series * rounds
        progress("building \(samples) samples in requests of \(samplesPerRequest) and \(lines) Loghub lines in requests of \(linesPerRequest)")
        let writes = try PushLoad.remoteWrite(series: series, rounds: rounds, samplesPerRequest: samplesPerRequest, now: now)
        let (pushes, textBytes) = try PushLoad.loki(corpus: corpus, lines: lines, linesPerRequest: linesPerRequest, now: now)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "tributary.bench.push")
        logger.logLevel = ProcessInfo.processInfo.environment["TRIB_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        var configuration = NodeConfiguration(nodeID: "bench-push", dataDirectory: directory.appendingPathComponent("data").path, tls: nil,
                                              credentials: IngestCredentials(tokens: [Self.token: "bench"]), minFreeBytes: 0)
        configuration.query.maxSamples = max(configuration.query.maxSamples, samples * 2)
        let node = try await NodeService.start(configuration, logger: logger)
        let protobuf = ["Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", "Authorization": "Bearer \(Self.token)"]

        progress("remote write into the node: \(writes.count) requests from \(connections) connections")
        let nodeSeconds: Double
        let lokiSeconds: Double
        do {
            nodeSeconds = try await PushSender(port: node.httpPort, path: "/api/v1/write", headers: protobuf, connections: connections, keepAlive: keepAlive).send(writes)
            progress("loki push into the node: \(pushes.count) requests")
            lokiSeconds = try await PushSender(port: node.httpPort, path: "/loki/api/v1/push", headers: protobuf, connections: connections, keepAlive: keepAlive).send(pushes)
            try check(node.httpPort, "count(bench_requests_total)", equals: Double(series))
            try check(node.httpPort, #"sum(count_over_time({host="bench-1"}[1d]))"#, equals: Double(lines))
        } catch {
            await node.stop()
            throw error
        }
        await node.stop()

        progress("remote write into VictoriaMetrics")
        let reference = try await VictoriaMetricsReference(executable: victoriaMetrics)
        defer { reference.stop() }
        let vmSeconds = try await PushSender(port: reference.port, path: "/api/v1/write", headers: protobuf, connections: connections, keepAlive: keepAlive).send(writes)
        try reference.flush()
        let stored = try reference.value("count(bench_requests_total)")
        guard stored == Double(series) else {
            let found = stored.map { String($0) } ?? "no"
            throw PushSender.Failed(description: "VictoriaMetrics holds \(found) series of bench_requests_total, expected \(series)")
        }

        var report = BenchmarkReport(bench: "push")
        let nodeRate = Double(samples) / nodeSeconds
        let vmRate = Double(samples) / vmSeconds
        report.add("remote_write_samples_per_s", nodeRate, decimals: 0)
        report.add("victoriametrics_samples_per_s", vmRate, decimals: 0)
        report.add("remote_write_vs_victoriametrics", nodeRate / vmRate, decimals: 2)
        report.add("loki_push_lines_per_s", Double(lines) / lokiSeconds, decimals: 0)
        report.add("loki_push_mb_per_s", Double(textBytes) / 1e6 / lokiSeconds, decimals: 1)
        report.add("samples", samples)
        report.add("lines", lines)
        report.add("connections", connections)
        report.add("keep_alive", keepAlive ? 1 : 0)
        return [report]
    }

    /// Fails unless the node's instant `query` answers `expected`.
    private func check(_ port: Int, _ query: String, equals expected: Double) throws {
        var status = 0
        var body: [UInt8] = []
        let path = "/api/v1/query?query=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        try HTTPGetClient.get(host: "127.0.0.1", port: port, path: path, headers: ["Authorization": "Bearer \(Self.token)"], timeoutSeconds: 300,
                              status: { status = $0 }, body: { body += $0 })
        let text = String(decoding: body, as: UTF8.self)
        guard status == 200, Self.instantValue(text) == expected else {
            throw PushSender.Failed(description: "the node answers \(query) with \(status) \(text.prefix(300)), expected \(expected)")
        }
    }

    /// The value of the first series of an instant vector answer.
    static func instantValue(_ body: String) -> Double? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
              let value = result.first?["value"] as? [Any], value.count == 2, let text = value[1] as? String else { return nil }
        return Double(text)
    }
}
