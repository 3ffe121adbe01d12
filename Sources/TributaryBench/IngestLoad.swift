import Foundation
import NIOCore
import NIOPosix
import TributaryTLS
import TributaryWire

/// Agent connections pushing pooled batches over TLS to nodes (spread
/// round-robin over `ports`) for `seconds` after a one-second warm-up;
/// what was acknowledged, and how fast.
struct IngestLoad {
    let connections: Int
    let seconds: Double
    let rawBytesPerBatch: Int

    struct Result {
        let snapshot: (records: Int, bytes: Int, latencies: [Double], errors: [String])
        let seconds: Double
    }

    /// `measuring` runs when the measured period starts (after the warm-up).
    func run(ports: [Int], caFile: String, pool: [Batch], token: String = "bench", agentPrefix: String = "bench-agent",
             measuring: () async throws -> Void = {}) async throws -> Result {
        let statistics = IngestLoadStatistics()
        let (group, channels) = try await Self.connect(ports: ports, connections: connections, caFile: caFile, pool: IngestBatchPool(pool), pacer: nil,
                                                       token: token, agentPrefix: agentPrefix, rawBytesPerBatch: rawBytesPerBatch, statistics: statistics)
        // Warm up, then measure from a clean slate.
        try await Task.sleep(for: .seconds(1))
        try await measuring()
        statistics.reset()
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let snapshot = statistics.snapshot
        for channel in channels { try? await channel.close() }
        // Let the last answers reach their (closed) connections' event loops.
        try await Task.sleep(for: .milliseconds(200))
        try await group.shutdownGracefully()
        if let error = snapshot.errors.first {
            throw IngestBenchmarkError.failed("\(snapshot.errors.count) errors, the first: \(error)")
        }
        return Result(snapshot: snapshot, seconds: elapsed)
    }

    /// Opens `connections` agent connections (round-robin over `ports`) on
    /// one event loop; each starts sending after its WELCOME.
    static func connect(ports: [Int], connections: Int, caFile: String, pool: IngestBatchPool, pacer: LoadPacer?, token: String,
                        agentPrefix: String, rawBytesPerBatch: Int,
                        statistics: IngestLoadStatistics) async throws -> (MultiThreadedEventLoopGroup, [Channel]) {
        var clientTLS = TLSConfiguration()
        clientTLS.trustedCAFile = caFile
        let clientContext = try TLSContext(configuration: clientTLS, role: .client)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var channels: [Channel] = []
        do {
            for index in 0..<connections {
                channels.append(try await ClientBootstrap(group: group)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let pipeline = channel.pipeline.syncOperations
                            try pipeline.addHandler(TLSHandler(context: clientContext, serverHostname: "localhost"))
                            try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                            try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                            try pipeline.addHandler(IngestLoadClient(agentID: "\(agentPrefix)-\(index)", token: token, pool: pool, pacer: pacer,
                                                                     rawBytesPerBatch: rawBytesPerBatch, statistics: statistics))
                        }
                    }
                    .connect(host: "127.0.0.1", port: ports[index % ports.count]).get())
            }
        } catch {
            for channel in channels { try? await channel.close() }
            try? await group.shutdownGracefully()
            throw error
        }
        return (group, channels)
    }
}
