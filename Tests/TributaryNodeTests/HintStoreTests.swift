import Foundation
import NIOCore
import Synchronization
import Testing
import TributaryModel
@testable import TributaryNode
import TributaryStorage
import TributaryWire

@Suite struct HintStoreTests {
    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trib-hints-\(UUID().uuidString)").path
    }

    static func batch(_ sequence: UInt64) throws -> Batch {
        let record = Record.log(LogRecord(timestamp: 1_000, labels: try Labels(["host": "h"]), message: "line \(sequence)"))
        return try BatchEncoder().encode([record], agentID: "agent", sequence: sequence)
    }

    /// Delivers everything `store` holds for node-b, returning the sequences sent.
    static func deliverAll(_ store: HintStore) async -> [UInt64] {
        let sent = Mutex<[UInt64]>([])
        _ = await store.replay(node: "node-b") { _, batch in
            sent.withLock { $0.append(batch.sequence) }
            return true
        }
        return sent.withLock { $0 }
    }

    @Test func hintsWrittenAfterARestartAreDeliveredThoughEveryEarlierOneWas() async throws {
        let root = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var store = try await HintStore.open(directory: root, maxBytes: 1 << 30)
        for sequence: UInt64 in 1...5 { try await store.append(node: "node-b", tenant: "acme", batch: try Self.batch(sequence)) }
        #expect(await Self.deliverAll(store) == [1, 2, 3, 4, 5])
        #expect(await store.pending()["node-b"] == nil)
        await store.close()

        // Every segment was delivered and deleted; numbering must go on from 5.
        store = try await HintStore.open(directory: root, maxBytes: 1 << 30)
        #expect(await store.pending()["node-b"] == nil, "nothing is sent again")
        for sequence: UInt64 in 6...8 { try await store.append(node: "node-b", tenant: "acme", batch: try Self.batch(sequence)) }
        #expect(await store.pending()["node-b"]?.hints == 3)
        #expect(await Self.deliverAll(store) == [6, 7, 8])
        await store.close()
    }

    @Test func aReplicaThatDoesNotConfirmKeepsItsHintsInOrder() async throws {
        let root = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = try await HintStore.open(directory: root, maxBytes: 1 << 30)
        for sequence: UInt64 in 1...4 { try await store.append(node: "node-b", tenant: "acme", batch: try Self.batch(sequence)) }
        let delivered = await store.replay(node: "node-b") { _, batch in batch.sequence < 3 }
        #expect(delivered == 2)
        #expect(await store.pending()["node-b"]?.hints == 2)
        #expect(await Self.deliverAll(store) == [3, 4])
        await store.close()
    }

    @Test func aFullHintStoreRefusesMoreAndSaysWhy() async throws {
        let root = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = try await HintStore.open(directory: root, maxBytes: 10)
        try await store.append(node: "node-b", tenant: "acme", batch: try Self.batch(1))
        await #expect { try await store.append(node: "node-b", tenant: "acme", batch: try Self.batch(2)) } throws: { error in
            "\(error)".contains("cluster.max_hint_bytes")
        }
        await store.close()
    }

    @Test func theSameBatchStoredTwiceAtOnceIsStoredOnce() async throws {
        let root = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (store, _) = try await IngestStore.open(directory: root)
        let batch = try Self.batch(7)
        let records = try BatchDecoder().decode(batch)
        let outcomes = await withTaskGroup(of: IngestStore.Outcome?.self) { group in
            for _ in 0..<8 { group.addTask { try? await store.store(batch, records: records, tenant: "acme") } }
            var outcomes: [IngestStore.Outcome?] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let stored = outcomes.filter { if case .stored? = $0 { return true } else { return false } }.count
        #expect(stored == 1, "\(outcomes)")
        #expect(outcomes.allSatisfy { $0 != nil })
        #expect(try store.storedBatches().count == 1)
        _ = await store.close()
    }
}
