import Logging
import Foundation
import NIOCore
import NIOPosix
import TributaryCompression
import TributaryModel
import TributaryNode
import TributaryPKI
import TributaryTLS
import TributaryWire

/// `trib bench ingest`: agents push 200-byte log records in batches of 1,000
/// over TLS to one node, which acknowledges each batch once it is in its
/// write-ahead log (synced, group commit). The generator replays a pool of
/// pre-compressed Loghub batches with fresh sequence numbers, so the figure
/// measures the node, not the generator.
public struct IngestBenchmark: Sendable {
    public var connections = 4
    public var seconds = 10.0
    public var recordBytes = 200
    public var batchRecords = 1000

    public init() {}

    public func run(corpus: LoghubCorpus) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let node = try await BenchNode.start(directory: directory, token: "bench")
        let pool = try Self.makePool(corpus, recordBytes: recordBytes, batchRecords: batchRecords)
        var syncsBefore = 0
        let load = IngestLoad(connections: connections, seconds: seconds, rawBytesPerBatch: batchRecords * recordBytes)
        let measured = try await load.run(ports: [node.port], caFile: directory.appendingPathComponent("ca.pem").path, pool: pool) {
            syncsBefore = try await node.walStatistics().syncs
        }
        let syncs = try await node.walStatistics().syncs - syncsBefore
        await node.stop()
        let snapshot = measured.snapshot
        let elapsed = measured.seconds

        let latencies = snapshot.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        var report = BenchmarkReport(bench: "ingest")
        report.add("records_per_s", Int(Double(snapshot.records) / elapsed))
        report.add("mb_per_s", Double(snapshot.bytes) / elapsed / 1_000_000)
        report.add("fsyncs_per_s", Double(syncs) / elapsed)
        report.add("p50_ack_ms", percentile(0.50), decimals: 2)
        report.add("p99_ack_ms", percentile(0.99), decimals: 2)
        report.add("connections", connections)
        report.add("batch_records", batchRecords)
        report.add("record_bytes", recordBytes)
        return [report]
    }

    /// Compressed batches of `batchRecords` Loghub records each.
    static func makePool(_ corpus: LoghubCorpus, recordBytes: Int, batchRecords: Int) throws -> [Batch] {
        let encoder = BatchEncoder(compression: .fastest)
        var records: [Record] = []
        for file in corpus.files {
            // Recent timestamps: the node refuses records older than its bound.
            let recent = Int64(Date().timeIntervalSince1970 - 3600) * 1_000_000_000
            records += corpus.records(of: file, messageBytes: recordBytes, startingAt: recent)
        }
        var pool: [Batch] = []
        for start in stride(from: 0, to: records.count - batchRecords + 1, by: batchRecords) {
            pool.append(try encoder.encode(Array(records[start..<(start + batchRecords)]), agentID: "bench", sequence: 1))
        }
        guard !pool.isEmpty else { throw LoghubCorpusError.empty(corpus.directory.path) }
        return pool
    }
}

public enum IngestBenchmarkError: Error, CustomStringConvertible {
    case failed(String)

    public var description: String {
        switch self {
        case .failed(let detail): return "the ingest benchmark failed: \(detail)"
        }
    }
}
