import Foundation
import NIOCore
import NIOPosix
import Testing
import TributaryModel
import TributaryNode
import TributaryTestSupport
import TributaryTLS
import TributaryStorage
import TributaryWire

/// A real node listener over TLS on 127.0.0.1, driven by a client built on
/// our codec: handshake, durable batches, duplicates, restarts, refusals.
@Suite struct IngestServerTests {
    struct Node {
        let pki: TestCertificates
        let directory: String
        let group: MultiThreadedEventLoopGroup
        var store: IngestStore
        var server: IngestServer

        static func start(pki: TestCertificates? = nil, directory: String? = nil) async throws -> Node {
            let pki = try pki ?? TestCertificates()
            let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("trib-node-\(UUID().uuidString)").path
            let files = try pki.issue("node-a")
            var configuration = TLSConfiguration()
            configuration.certificateChainFile = files.certificate
            configuration.privateKeyFile = files.key
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let (store, _) = try await IngestStore.open(directory: directory)
            let server = try await IngestServer.start(
                host: "127.0.0.1", port: 0, group: group, tls: try TLSContextStore(configuration: configuration, role: .server),
                store: store, credentials: IngestCredentials(tokens: ["s3cret": "acme"]), nodeID: "node-a")
            return Node(pki: pki, directory: directory, group: group, store: store, server: server)
        }

        func connect() async throws -> WireTestClient {
            try await WireTestClient.connect(port: server.port, caFile: pki.caFile)
        }

        func stop() async throws {
            try await server.stop()
            _ = await store.close()
            await server.closeConnections()
            try await group.shutdownGracefully()
        }
    }

    static func hello(token: String = "s3cret") -> Frame {
        .hello(Hello(agentID: "agent-1", token: Array(token.utf8), capabilities: .deflate, software: TributaryVersion.software, host: "web-1"))
    }

    static func batch(_ sequence: UInt64) throws -> Frame {
        let labels = try Labels(["host": "web-1", "source": "test"])
        let base = Int64(Date().timeIntervalSince1970 - 60) * 1_000_000_000
        let records = (0..<10).map { Record.log(LogRecord(timestamp: base + Int64(sequence) * 1_000_000 + Int64($0), severity: .info, labels: labels, message: "line \(sequence).\($0)")) }
        return .batch(try BatchEncoder().encode(records, agentID: "agent-1", sequence: sequence))
    }

    @Test func batchesAreAcknowledgedOnceDurableAndStoredOnceAcrossRestarts() async throws {
        var node = try await Node.start()
        defer { try? FileManager.default.removeItem(atPath: node.directory) }
        let client = try await node.connect()
        try await client.send(Self.hello())
        try await client.wait("WELCOME") { $0.contains { if case .welcome = $0 { return true }; return false } }
        for sequence: UInt64 in 1...5 { try await client.send(try Self.batch(sequence)) }
        try await client.wait("ACKs for 1…5") { _ in client.acknowledged(among: Array(1...5)).count == 5 }
        // A retry of batch 3 (its ACK was "lost") is acknowledged again and not stored twice.
        try await client.send(try Self.batch(3))
        try await client.wait("the ACK for the retry") { $0.filter { if case .ack = $0 { return true }; return false }.count >= 6 }
        #expect(try node.store.storedBatches().map(\.batch.sequence) == [1, 2, 3, 4, 5])
        #expect(try node.store.storedBatches().allSatisfy { $0.tenant == "acme" })
        await client.close()

        // Restart on the same directory: the batches are there, and a resend
        // of batch 5 after the restart is still recognised.
        let pki = node.pki
        let directory = node.directory
        try await node.stop()
        node = try await Node.start(pki: pki, directory: directory)
        let again = try await node.connect()
        try await again.send(Self.hello())
        try await again.send(try Self.batch(5))
        try await again.send(try Self.batch(6))
        try await again.wait("ACKs for 5 and 6") { _ in again.acknowledged(among: [5, 6]).count == 2 }
        // The first node flushed batches 1…5 to blocks when it stopped; 6 is in a head.
        let messages = try await Self.storedMessages(node.store)
        #expect(messages.count == 60)
        #expect(Set(messages) == Set((1...6).flatMap { sequence in (0..<10).map { "line \(sequence).\($0)" } }))
        await again.close()
        try await node.stop()
    }

    /// Every log line of tenant acme in blocks and heads.
    static func storedMessages(_ store: IngestStore) async throws -> [String] {
        var messages: [String] = []
        for snapshot in await store.partitions.snapshot(tenant: "acme", start: .min, end: .max) {
            for head in snapshot.heads {
                for case .log(let log) in head.logs { messages.append(String(buffer: log.message)) }
                for stored in head.batches {
                    for case .log(let log) in try BatchDecoder().decode(stored.batch) { messages.append(String(buffer: log.message)) }
                }
            }
            for path in snapshot.logBlocks {
                let reader = try BlockReader(path: path)
                for chunk in reader.chunks {
                    for case .log(let log) in try reader.records(of: chunk) { messages.append(String(buffer: log.message)) }
                }
            }
            for path in snapshot.batchBlocks {
                let reader = try BatchBlockReader(path: path)
                for entry in reader.entries {
                    for case .log(let log) in try reader.records(of: entry, start: snapshot.key.start, end: snapshot.key.end, in: snapshot.key) {
                        messages.append(String(buffer: log.message))
                    }
                }
            }
        }
        return messages
    }

    @Test func badBatchesAreRefusedPermanentlyAndNotStored() async throws {
        let node = try await Node.start()
        defer { try? FileManager.default.removeItem(atPath: node.directory) }
        let client = try await node.connect()
        try await client.send(Self.hello())
        // A body that does not decode, and a batch from 2001.
        guard case .batch(var broken) = try Self.batch(1) else { return }
        broken.body = ByteBuffer(repeating: 0xAB, count: 64)
        try await client.send(.batch(broken))
        let labels = try Labels(["host": "old"])
        let ancient = try BatchEncoder().encode([.log(LogRecord(timestamp: 1_000_000_000 * 1_000_000_000, labels: labels, message: "2001"))],
                                                agentID: "agent-1", sequence: 2)
        try await client.send(.batch(ancient))
        try await client.send(try Self.batch(3))
        try await client.wait("two NACKs and an ACK") { frames in
            frames.filter { if case .nack = $0 { return true }; return false }.count == 2 && client.acknowledged(among: [3]) == [3]
        }
        let nacks = client.frames.compactMap { frame -> Nack? in if case .nack(let nack) = frame { return nack }; return nil }
        #expect(nacks.map(\.code).sorted { $0.rawValue < $1.rawValue } == [.malformed, .tooOld])
        #expect(nacks.allSatisfy { $0.disposition == .permanent })
        #expect(try node.store.storedBatches().map(\.batch.sequence) == [3])
        await client.close()
        try await node.stop()
    }

    @Test func aWrongTokenIsRejectedWithTheReason() async throws {
        let node = try await Node.start()
        defer { try? FileManager.default.removeItem(atPath: node.directory) }
        let client = try await node.connect()
        try await client.send(Self.hello(token: "guess"))
        try await client.wait("REJECT") { !$0.isEmpty }
        guard case .reject(let reject) = client.frames.first else {
            Issue.record("expected REJECT, got \(client.frames)")
            return
        }
        #expect(reject.code == .authFailed)
        #expect(reject.reason.contains("unknown token"))
        try await client.wait("the node to close") { _ in client.isClosed }
        await client.close()
        #expect(try node.store.storedBatches().isEmpty)
        try await node.stop()
    }

    @Test func malformedBytesGetAGoAwayNamingTheProblem() async throws {
        let node = try await Node.start()
        defer { try? FileManager.default.removeItem(atPath: node.directory) }
        let client = try await node.connect()
        let channel = client.channel
        try await client.send(Self.hello())
        try await client.wait("WELCOME") { !$0.isEmpty }
        // A PING with a corrupted payload: the checksum catches it.
        var corrupted = Frame.ping(nonce: 1).encoded()
        corrupted.setInteger(UInt8(0xEE), at: 20)
        let bytes = corrupted
        // Written below the frame encoder, straight into TLS.
        try await channel.eventLoop.submit {
            let context = try channel.pipeline.syncOperations.context(name: "decoder")
            context.writeAndFlush(NIOAny(bytes), promise: nil)
        }.get()
        try await client.wait("GOAWAY") { $0.contains { if case .goAway = $0 { return true }; return false } }
        guard case .goAway(let goAway)? = client.frames.last else {
            Issue.record("no GOAWAY")
            return
        }
        #expect(goAway.code == .protocolError)
        #expect(goAway.reason.contains("checksum mismatch"))
        // The node keeps serving others.
        let other = try await node.connect()
        try await other.send(Self.hello())
        try await other.wait("WELCOME for another agent") { !$0.isEmpty }
        await other.close()
        await client.close()
        try await node.stop()
    }
}
