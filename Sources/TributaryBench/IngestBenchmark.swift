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
        var clientTLS = TLSConfiguration()
        clientTLS.trustedCAFile = directory.appendingPathComponent("ca.pem").path
        let clientContext = try TLSContext(configuration: clientTLS, role: .client)
        let pool = try makePool(corpus)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

        let statistics = IngestLoadStatistics()
        var channels: [Channel] = []
        for index in 0..<connections {
            let rawBytes = batchRecords * recordBytes
            channels.append(try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(TLSHandler(context: clientContext, serverHostname: "localhost"))
                        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                        try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                        try pipeline.addHandler(IngestLoadClient(
                            agentID: "bench-agent-\(index)", token: "bench", pool: pool, rawBytesPerBatch: rawBytes, statistics: statistics))
                    }
                }
                .connect(host: "127.0.0.1", port: node.port).get())
        }

        // Warm up, then measure from a clean slate.
        try await Task.sleep(for: .seconds(1))
        statistics.reset()
        let syncsBefore = try await node.walStatistics().syncs
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let snapshot = statistics.snapshot
        let syncs = try await node.walStatistics().syncs - syncsBefore

        for channel in channels { try? await channel.close() }
        await node.stop()
        // Let the last answers reach their (closed) connections' event loops.
        try await Task.sleep(for: .milliseconds(200))
        try await group.shutdownGracefully()
        if let error = snapshot.errors.first {
            throw IngestBenchmarkError.failed("\(snapshot.errors.count) errors, the first: \(error)")
        }

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
    private func makePool(_ corpus: LoghubCorpus) throws -> [Batch] {
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
