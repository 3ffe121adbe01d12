import Foundation
import TributaryNode

/// `trib bench cluster`: agents push 200-byte Loghub records in batches of
/// 1,000 over TLS to three nodes in this process (replication factor 2,
/// write quorum 2: every record is stored twice before it is acknowledged),
/// spread evenly over the nodes; then, in the same run, to one node
/// (replication factor 1) through the same cluster code. Every node shares
/// this machine's cores.
public struct ClusterBenchmark: Sendable {
    public var connections = 6
    public var seconds = 10.0
    public var recordBytes = 200
    public var batchRecords = 1000
    public var nodes = 3
    public var replicas = 2

    public init() {}

    public func run(corpus: LoghubCorpus) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try IngestBenchmark.makePool(corpus, recordBytes: recordBytes, batchRecords: batchRecords)
        let load = IngestLoad(connections: connections, seconds: seconds, rawBytesPerBatch: batchRecords * recordBytes)
        let caFile = directory.appendingPathComponent("ca.pem").path

        let cluster = try await BenchCluster.start(directory: directory, count: nodes, replicas: replicas, quorum: replicas, token: "bench")
        let clustered = try await load.run(ports: cluster.map(\.port), caFile: caFile, pool: pool, agentPrefix: "cluster-agent")
        for node in cluster { await node.stop() }

        let single = try await BenchCluster.start(directory: directory, count: 1, replicas: 1, quorum: 1, token: "bench")
        let alone = try await load.run(ports: single.map(\.port), caFile: caFile, pool: pool, agentPrefix: "single-agent")
        for node in single { await node.stop() }

        let clusterRate = Double(clustered.snapshot.records) / clustered.seconds
        let singleRate = Double(alone.snapshot.records) / alone.seconds
        let latencies = clustered.snapshot.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        var report = BenchmarkReport(bench: "cluster")
        report.add("cluster_records_per_s", Int(clusterRate))
        report.add("single_records_per_s", Int(singleRate))
        report.add("cluster_vs_single", singleRate > 0 ? clusterRate / singleRate : 0, decimals: 2)
        report.add("cluster_p50_ack_ms", percentile(0.50), decimals: 2)
        report.add("cluster_p99_ack_ms", percentile(0.99), decimals: 2)
        report.add("nodes", nodes)
        report.add("replication_factor", replicas)
        report.add("write_quorum", replicas)
        report.add("connections", connections)
        report.add("batch_records", batchRecords)
        return [report]
    }
}
