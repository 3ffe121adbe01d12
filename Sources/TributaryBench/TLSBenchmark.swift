import Foundation
import NIOCore
import NIOPosix
import TributaryPKI
import TributaryTLS

/// `trib bench tls`: bulk throughput of our TLS handler over loopback
/// (client to server in one process, each on its own event loop), the same
/// transfer without TLS for comparison, and full handshakes per second.
public struct TLSBenchmark: Sendable {
    /// Bytes per bulk transfer trial.
    public var transferBytes = 1 << 30
    public var writeSize = 64 * 1024
    /// How long the handshake phase runs.
    public var handshakeSeconds = 5.0
    /// Connections handshaking at once.
    public var concurrentHandshakes = 8

    public init() {}

    public func run() async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let node = try CertificateFiles.write(
            authority.issue(commonName: "bench-node", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]),
            name: "bench-node", to: directory)

        var serverConfiguration = TLSConfiguration()
        serverConfiguration.certificateChainFile = node.certificate.path
        serverConfiguration.privateKeyFile = node.key.path
        serverConfiguration.groups = "P-256"
        serverConfiguration.minimumVersion = .v1_3
        serverConfiguration.cipherSuites = "TLS_AES_128_GCM_SHA256"
        var clientConfiguration = TLSConfiguration()
        clientConfiguration.trustedCAFile = directory.appendingPathComponent("ca.pem").path
        clientConfiguration.groups = "P-256"
        clientConfiguration.minimumVersion = .v1_3
        clientConfiguration.cipherSuites = "TLS_AES_128_GCM_SHA256"
        let serverContext = try TLSContext(configuration: serverConfiguration, role: .server)
        let clientContext = try TLSContext(configuration: clientConfiguration, role: .client)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            let report = try await measure(group: group, server: serverContext, client: clientContext)
            try await group.shutdownGracefully()
            return [report]
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func measure(group: EventLoopGroup, server serverContext: TLSContext, client clientContext: TLSContext) async throws -> BenchmarkReport {
        // Interleave trials so both figures see the same machine conditions.
        var tlsRates: [Double] = []
        var plainRates: [Double] = []
        var cipher = ""
        for _ in 0..<3 {
            let (tls, negotiated) = try await transfer(group: group, server: serverContext, client: clientContext)
            tlsRates.append(tls)
            cipher = negotiated
            plainRates.append(try await transfer(group: group, server: nil, client: nil).rate)
        }
        let handshakes = try await handshakeRate(group: group, server: serverContext, client: clientContext)

        var report = BenchmarkReport(bench: "tls")
        report.add("tls_mb_per_s", tlsRates.sorted()[1])
        report.add("plain_mb_per_s", plainRates.sorted()[1])
        report.add("handshakes_per_s", handshakes)
        report.add("cipher", cipher)
        report.add("write_bytes", writeSize)
        report.add("transfer_mb", transferBytes / 1_000_000)
        return report
    }

    /// Sends `transferBytes` from a client to a server; returns MB/s measured
    /// until the server has received the last byte.
    private func transfer(group: EventLoopGroup, server: TLSContext?, client: TLSContext?) async throws -> (rate: Double, cipher: String) {
        let counter = ByteCounter()
        let listener = try await ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            // Whole TLS records per read from the start, as a node is set up.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 16 * 1024, initial: 64 * 1024, maximum: 256 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let server { try channel.pipeline.syncOperations.addHandler(TLSHandler(context: server)) }
                    try channel.pipeline.syncOperations.addHandler(CountingHandler(counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let handshake = HandshakeWaiter()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let client {
                        try channel.pipeline.syncOperations.addHandler(TLSHandler(context: client, serverHostname: "localhost"))
                    }
                    try channel.pipeline.syncOperations.addHandler(handshake.handler(on: channel.eventLoop, waitForTLS: client != nil))
                }
            }
            .connect(host: "127.0.0.1", port: listener.localAddress!.port!).get()
        let cipher = try await handshake.completed.get()

        var payload = channel.allocator.buffer(capacity: writeSize)
        payload.writeRepeatingByte(0x5A, count: writeSize)
        let done = counter.expect(transferBytes, on: listener.eventLoop)
        let start = ContinuousClock.now
        var sent = 0
        // Keep 16 writes in flight: enough to fill the pipe, bounded memory.
        while sent < transferBytes {
            var last: EventLoopFuture<Void>?
            for _ in 0..<16 where sent < transferBytes {
                last = channel.write(payload)
                sent += writeSize
            }
            channel.flush()
            try await last?.get()
        }
        try await done.get()
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        try await channel.close()
        try await listener.close()
        return (Double(sent) / elapsed / 1_000_000, cipher)
    }

    /// Full handshakes (new TCP connection, ECDHE P-256, certificate
    /// verification, no resumption) per second, `concurrentHandshakes` at a time.
    private func handshakeRate(group: EventLoopGroup, server: TLSContext, client: TLSContext) async throws -> Double {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress!.port!
        let deadline = ContinuousClock.now + .milliseconds(Int(handshakeSeconds * 1000))
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for _ in 0..<concurrentHandshakes {
                tasks.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let handshake = HandshakeWaiter()
                        let channel = try await ClientBootstrap(group: group)
                            .channelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: client, serverHostname: "localhost"))
                                    try channel.pipeline.syncOperations.addHandler(handshake.handler(on: channel.eventLoop, waitForTLS: true))
                                }
                            }
                            .connect(host: "127.0.0.1", port: port).get()
                        _ = try await handshake.completed.get()
                        try await channel.close()
                        count += 1
                    }
                    return count
                }
            }
            return try await tasks.reduce(0, +)
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        try await listener.close()
        return Double(total) / elapsed
    }
}
