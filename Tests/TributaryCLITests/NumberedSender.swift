import Foundation
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Sends uniquely numbered log lines as an agent would: batch `s` holds
/// lines `s*10 ..< s*10+10`, one per stream `host=h0…h9` (so every batch
/// touches every shard), at `time(s)`. Batches not acknowledged (NACK,
/// BUSY, a lost connection) are sent again, on a new connection if need
/// be, until every one is acknowledged or the deadline passes.
final class NumberedSender: @unchecked Sendable {
    let agentID: String
    let caFile: String
    let time: @Sendable (UInt64) -> Int64
    private(set) var acknowledged = Set<UInt64>()

    init(agentID: String = "agent-cluster", caFile: String, time: @escaping @Sendable (UInt64) -> Int64) {
        self.agentID = agentID
        self.caFile = caFile
        self.time = time
    }

    static func message(_ number: Int) -> String { "line \(number)" }

    func batch(_ sequence: UInt64) throws -> Frame {
        let records = try (0..<10).map { index in
            Record.log(LogRecord(timestamp: time(sequence) + Int64(index), severity: .info,
                                 labels: try Labels(["host": "h\(index)", "source": "cluster-test"]),
                                 message: Self.message(Int(sequence) * 10 + index)))
        }
        return .batch(try BatchEncoder().encode(records, agentID: agentID, sequence: sequence))
    }

    /// Sends `sequences` to the node at `port` (and `fallbacks` when it
    /// does not answer) until all are acknowledged. `between` runs after
    /// each window (to kill or stop nodes mid-stream).
    func send(_ sequences: [UInt64], port: Int, timeout: Double = 120,
              between: (Int) async throws -> Void = { _ in }) async throws {
        let deadline = Date() + timeout
        var window = 0
        while Date() < deadline {
            let pending = sequences.filter { !acknowledged.contains($0) }
            if pending.isEmpty { return }
            let client: WireTestClient
            do {
                client = try await WireTestClient.connect(port: port, caFile: caFile)
                try await client.send(.hello(Hello(agentID: agentID, token: Array("token-for-acme".utf8), capabilities: .deflate,
                                                   software: TributaryVersion.software, host: "test")))
            } catch {
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            for chunk in stride(from: 0, to: pending.count, by: 8) {
                let part = Array(pending[chunk..<min(pending.count, chunk + 8)])
                do {
                    for sequence in part { try await client.send(try batch(sequence)) }
                } catch {
                    break
                }
                try? await client.wait("answers", timeout: .seconds(8)) { frames in
                    client.isClosed || part.allSatisfy { sequence in
                        client.acknowledged(among: [sequence]).count == 1 || frames.contains { frame in
                            switch frame {
                            case .nack(let nack): return nack.sequence == sequence
                            case .busy(let busy): return busy.sequence == sequence
                            default: return false
                            }
                        }
                    }
                }
                acknowledged.formUnion(client.acknowledged(among: part))
                window += 1
                try await between(window)
                if client.isClosed { break }
            }
            acknowledged.formUnion(client.acknowledged(among: pending))
            await client.close()
        }
        let missing = sequences.filter { !acknowledged.contains($0) }
        if !missing.isEmpty { Issue.record("\(missing.count) batches never acknowledged, e.g. \(missing.prefix(5))") }
    }

    /// Takes `sequences` as acknowledged (a snapshot of another sender).
    func assume(_ sequences: Set<UInt64>) { acknowledged = sequences }

    /// Line numbers of every acknowledged batch.
    var expectedNumbers: [Int] {
        acknowledged.sorted().flatMap { sequence in (0..<10).map { Int(sequence) * 10 + $0 } }
    }

    /// The numbers a query returned, or nil if it failed.
    static func numbers(_ response: NodeHTTP.Response) -> [Int] {
        response.messages.compactMap { Int($0.dropFirst(5)) }
    }
}
