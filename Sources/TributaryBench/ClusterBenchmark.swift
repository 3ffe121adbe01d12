import Foundation
import TributaryNode

/// `trib bench cluster`: agents push 200-byte Loghub records in batches of
/// 1,000 over TLS to three nodes in this process (replication factor 2,
/// write quorum 2: every record is stored twice before it is acknowledged),
/// spread evenly over the nodes, and to one node (replication factor 1,
/// the same cluster code), taking turns in the same run. Every node shares
/// this machine's cores.
public struct ClusterBenchmark: Sendable {
    public var connections = 6
    public var seconds = 15.0
    public var recordBytes = 200
    public var batchRecords = 1000
    public var nodes = 3
    public var replicas = 2
    /// Turns each set-up takes; `seconds` is split between them.
    public var rounds = 3
    /// Runs one set-up only (profiling one of them, e.g. under callgrind);
    /// nil: both, taking turns.
    public var only: ClusterBenchmarkSetup?

    public init() {}

    public func run(corpus: LoghubCorpus) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try IngestBenchmark.makePool(corpus, recordBytes: recordBytes, batchRecords: batchRecords)
        let load = IngestLoad(connections: connections, seconds: seconds / Double(rounds), rawBytesPerBatch: batchRecords * recordBytes)
        let caFile = directory.appendingPathComponent("ca.pem").path

        // Both set-ups stay up and take turns, so a slow minute of a shared
        // machine lands on both; the figures are the medians of the rounds.
        let cluster = only == .single ? [] : try await BenchCluster.start(directory: directory, count: nodes, replicas: replicas, quorum: replicas,
                                                                          token: "bench", name: "cluster")
        let single = only == .cluster ? [] : try await BenchCluster.start(directory: directory, count: 1, replicas: 1, quorum: 1, token: "bench",
                                                                          name: "single")
        var acknowledged = 0
        var clusterRates: [Double] = []
        var singleRates: [Double] = []
        var latencies: [Double] = []
        do {
            for round in 0..<rounds {
                if !cluster.isEmpty {
                    let clustered = try await load.run(ports: cluster.map(\.port), caFile: caFile, pool: pool, agentPrefix: "cluster-\(round)")
                    clusterRates.append(Double(clustered.snapshot.records) / clustered.seconds)
                    latencies += clustered.snapshot.latencies
                    acknowledged += clustered.snapshot.records
                }
                if !single.isEmpty {
                    let alone = try await load.run(ports: single.map(\.port), caFile: caFile, pool: pool, agentPrefix: "single-\(round)")
                    singleRates.append(Double(alone.snapshot.records) / alone.seconds)
                    acknowledged += alone.snapshot.records
                }
            }
        } catch {
            for node in cluster + single { await node.stop() }
            throw error
        }
        for node in cluster + single { await node.stop() }

        func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
        let clusterRate = median(clusterRates)
        let singleRate = median(singleRates)
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        var report = BenchmarkReport(bench: "cluster")
        report.add("cluster_records_per_s", Int(clusterRate))
        report.add("single_records_per_s", Int(singleRate))
        if only == nil { report.add("cluster_vs_single", singleRate > 0 ? clusterRate / singleRate : 0, decimals: 2) }
        report.add("cluster_p50_ack_ms", percentile(0.50), decimals: 2)
        report.add("cluster_p99_ack_ms", percentile(0.99), decimals: 2)
        report.add("cluster_rounds_records_per_s", clusterRates.map { String(Int($0)) }.joined(separator: ","))
        report.add("single_rounds_records_per_s", singleRates.map { String(Int($0)) }.joined(separator: ","))
        report.add("nodes", nodes)
        report.add("replication_factor", replicas)
        report.add("write_quorum", replicas)
        report.add("connections", connections)
        report.add("batch_records", batchRecords)
        // Records acknowledged in the measured periods, all set-ups: with
        // two runs of different lengths, instruction counts per record.
        report.add("measured_records", acknowledged)
        return [report]
    }
}
