import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryNode
import TributaryTestSupport
import TributaryWire

/// `trib node` as an operator runs it: a real process with a YAML file,
/// agents over TLS, SIGTERM, and kill -9 in the middle of ingest.
@Suite struct NodeProcessTests {
    typealias Setup = NodeSetup

    static func hello() -> Frame {
        .hello(Hello(agentID: "agent-k9", token: Array("token-for-acme".utf8), capabilities: .deflate, software: TributaryVersion.software, host: "test"))
    }

    static let now = Int64(Date().timeIntervalSince1970 - 60) * 1_000_000_000

    /// Batch `sequence` holds 10 lines numbered uniquely.
    static func batch(_ sequence: UInt64) throws -> Frame {
        let labels = try Labels(["host": "test", "source": "k9"])
        let records = (0..<10).map { index in
            Record.log(LogRecord(timestamp: Self.now + Int64(sequence) * 1000 + Int64(index), severity: .info, labels: labels,
                                 message: "line \(Int(sequence) * 10 + index)"))
        }
        return .batch(try BatchEncoder().encode(records, agentID: "agent-k9", sequence: sequence))
    }

    @Test func aBrokenConfigurationIsRefusedWithFileKeyAndLine() throws {
        let setup = try Setup(extra: "tsl:\n  certificate: x\n")
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["node", "--config", setup.configFile])
        #expect(result.status != 0)
        #expect(result.stderr.contains("node.yaml:11: tsl: unknown key"), "\(result.stderr)")
    }

    @Test func checkConfigValidatesWithoutStarting() throws {
        let good = try Setup()
        let ok = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", good.configFile])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("valid node configuration: node node-a"))
        #expect(ok.stdout.contains("1 tenant"))
        #expect(!FileManager.default.fileExists(atPath: good.dataDirectory), "nothing was started or created")

        let bad = try Setup(extra: "limits:\n  window: lots\n")
        let refused = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", bad.configFile])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("node.yaml:12: limits.window: expected a whole number from 1 to 1024, found \"lots\""), "\(refused.stderr)")
    }

    @Test func sigtermStopsTheNodeCleanlyAndItsDataRemains() async throws {
        let setup = try Setup()
        let (node, port) = try await setup.start()
        let client = try await WireTestClient.connect(port: port, caFile: setup.pki.caFile)
        try await client.send(Self.hello())
        for sequence: UInt64 in 1...3 { try await client.send(try Self.batch(sequence)) }
        try await client.wait("ACKs") { _ in client.acknowledged(among: [1, 2, 3]).count == 3 }
        await client.close()
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 10) == 0)
        #expect(node.output.contains { $0.contains("stopping") })

        let (restarted, _, httpPort) = try await setup.startWithHTTP()
        let result = try NodeHTTP.query(port: httpPort, #"{source="k9"}"#, ["limit": "1000", "direction": "forward"])
        #expect(result.status == 200, "\(result.body)")
        #expect(result.messages == (10..<40).map { "line \($0)" })
        restarted.signal(SIGTERM)
        _ = await restarted.waitForExit()
    }

    /// kill -9 during a stream of uniquely numbered batches, three times,
    /// with blocks flushed every 100 ms so crashes also land in flushes and
    /// checkpoints; afterwards a query returns every line exactly once.
    @Test func killNineDuringIngestLosesAndDuplicatesNothing() async throws {
        let setup = try Setup(extra: "storage:\n  flush_interval: 100ms\n")
        let total: UInt64 = 1000
        var acknowledged = Set<UInt64>()
        var interruptedRounds = 0
        var generator = SeededGenerator(seed: 9)

        for round in 0..<4 {
            let (node, port) = try await setup.start()
            let client = try await WireTestClient.connect(port: port, caFile: setup.pki.caFile)
            try await client.send(Self.hello())
            let crash = round < 3
            if crash {
                let delay = Int.random(in: 30...250, using: &generator)
                Task {
                    try await Task.sleep(for: .milliseconds(delay))
                    node.signal(SIGKILL)
                }
            }
            // Send everything not yet acknowledged (and, after a crash, some
            // acknowledged batches again, as an agent whose ACK was lost would).
            var pending = (1...total).filter { !acknowledged.contains($0) }
            if round > 0 { pending = Array(acknowledged.prefix(20)) + pending }
            var sent: [UInt64] = []
            for chunk in stride(from: 0, to: pending.count, by: 16) {
                let window = Array(pending[chunk..<min(pending.count, chunk + 16)])
                do {
                    for sequence in window { try await client.send(try Self.batch(sequence)) }
                } catch {
                    break  // the node died
                }
                sent += window
                try? await client.wait("ACKs for a window", timeout: .seconds(5)) { _ in
                    client.isClosed || client.acknowledged(among: window).count == window.count
                }
                acknowledged.formUnion(client.acknowledged(among: sent))
                if client.isClosed { break }
            }
            acknowledged.formUnion(client.acknowledged(among: sent))
            await client.close()
            if crash {
                _ = await node.waitForExit(timeout: 10)
                if acknowledged.count < Int(total) { interruptedRounds += 1 }
            } else {
                node.signal(SIGTERM)
                #expect(await node.waitForExit(timeout: 10) == 0)
            }
        }
        #expect(interruptedRounds >= 1, "at least one kill -9 must land in the middle of the stream")
        #expect(acknowledged == Set(1...total), "the last round acknowledges everything")

        let (node, _, httpPort) = try await setup.startWithHTTP()
        let result = try NodeHTTP.query(port: httpPort, #"{source="k9"}"#, ["limit": "100000", "start": "2h"])
        #expect(result.status == 200, "\(result.body.prefix(500))")
        let numbers = result.messages.compactMap { Int($0.dropFirst(5)) }
        #expect(numbers.count == Int(total) * 10, "each line exactly once: \(numbers.count) returned")
        #expect(Set(numbers) == Set(10..<(Int(total) + 1) * 10))
        #expect(!node.output.contains { $0.contains("damaged") || $0.contains("quarantined") })
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 10) == 0)
    }
}