import Foundation
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// `tenants[].limits.ingest_bytes_per_second` on a real node: the limited
/// tenant is slowed down with BUSY (and its reason), the other is not, and
/// every batch is stored exactly once in the end.
@Suite struct TenantRateTests {
    static let tenants = """
          - name: acme
            tokens: ["${TRIB_TEST_TOKEN}"]
          - name: slow
            tokens: [token-for-slow]
            limits: {ingest_bytes_per_second: 8KiB, ingest_burst_bytes: 8KiB}
        """

    /// Batches of 20 lines with random (barely compressible) text: about 5 KB each.
    static func batches(_ name: String, count: Int) throws -> [Batch] {
        var generator = SeededGenerator(seed: 7)
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        return try (1...count).map { sequence in
            let records: [Record] = try (0..<20).map { index in
                let noise = (0..<200).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
                return .log(LogRecord(timestamp: now + Int64(sequence * 20 + index), severity: .info, labels: try Labels(["app": "rate"]),
                                      message: "\(name)-\(sequence)-\(index) \(noise)"))
            }
            return try BatchEncoder().encode(records, agentID: "agent-\(name)", sequence: UInt64(sequence))
        }
    }

    /// Sends every batch like an agent does: a BUSY batch leaves the
    /// in-flight set and is sent again after its retry-after; an ACK
    /// completes the in-flight batches it covers. Returns the BUSY answers.
    static func deliver(_ batches: [Batch], token: String, port: Int, caFile: String) async throws -> [Busy] {
        let client = try await WireTestClient.connect(port: port, caFile: caFile)
        defer { Task { await client.close() } }
        let agent = batches[0].agentID
        try await client.send(.hello(Hello(agentID: agent, token: Array(token.utf8), capabilities: .deflate, software: "test", host: "h")))
        var inFlight = Set<UInt64>()
        var done = Set<UInt64>()
        var busies: [Busy] = []
        // One burst: sent one by one, a starved test task could spread the
        // batches so thin that the bucket refills between them.
        try await client.send(contentsOf: batches.map { .batch($0) })
        inFlight.formUnion(batches.map(\.sequence))
        var seen = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while done.count < batches.count {
            #expect(ContinuousClock.now < deadline, "timed out: \(done.count) of \(batches.count) stored")
            guard ContinuousClock.now < deadline else { break }
            let frames = client.frames
            var resend: [(UInt64, UInt32)] = []
            for frame in frames[seen...] {
                switch frame {
                case .ack(let ack):
                    for sequence in inFlight where ack.acknowledges(sequence) {
                        inFlight.remove(sequence)
                        done.insert(sequence)
                    }
                case .busy(let busy):
                    busies.append(busy)
                    inFlight.remove(busy.sequence)
                    resend.append((busy.sequence, busy.retryAfterMilliseconds))
                case .nack(let nack):
                    Issue.record("NACK \(nack)")
                default:
                    break
                }
            }
            seen = frames.count
            if let wait = resend.map(\.1).max() {
                try await Task.sleep(for: .milliseconds(Int(wait)))
                for (sequence, _) in resend {
                    try await client.send(.batch(batches[Int(sequence) - 1]))
                    inFlight.insert(sequence)
                }
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        return busies
    }

    @Test func aTenantOverItsRateGetsBusyWhileAnotherIsUnaffectedAndNothingIsLost() async throws {
        let setup = try NodeSetup(tenants: Self.tenants)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let slow = try Self.batches("slow", count: 8)
        let fast = try Self.batches("acme", count: 8)
        #expect(slow.map(\.body.readableBytes).reduce(0, +) > 24 * 1024, "the slow tenant sends well over its burst")

        async let slowBusies = Self.deliver(slow, token: "token-for-slow", port: port, caFile: setup.pki.caFile)
        let fastBusies = try await Self.deliver(fast, token: "token-for-acme", port: port, caFile: setup.pki.caFile)
        let busies = try await slowBusies

        // Unaffected means never told to wait (no timing is asserted: the machine is shared).
        #expect(fastBusies.isEmpty, "acme has no limit: \(fastBusies)")
        #expect(!busies.isEmpty, "the slow tenant is over its rate")
        for busy in busies {
            #expect(busy.reason.contains("tenant slow") && busy.reason.contains("ingest_bytes_per_second"), "\(busy.reason)")
            #expect(busy.retryAfterMilliseconds > 0 && busy.retryAfterMilliseconds <= 2_000, "\(busy.retryAfterMilliseconds)")
        }

        // Every batch stored once, each tenant in its own data.
        for (token, name) in [("token-for-slow", "slow"), ("token-for-acme", "acme")] {
            let lines = try NodeHTTP.query(port: http, #"{app="rate"}"#, ["limit": "1000", "start": "10m"], token: token).messages
            #expect(lines.count == 160, "\(name): \(lines.count) lines")
            #expect(Set(lines.map { $0.split(separator: " ")[0] }).count == 160, "\(name): each line once")
            #expect(lines.allSatisfy { $0.hasPrefix(name + "-") })
        }
        let metrics = try NodeHTTP.get(port: http, "/metrics").body
        #expect(metrics.contains("tributary_ingest_busy_total{reason=\"tenant_rate\"} \(busies.count)\n"), "\(metrics)")
    }
}
