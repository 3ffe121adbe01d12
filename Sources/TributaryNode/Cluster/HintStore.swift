import Foundation
import TributaryDurability
import NIOCore
import TributaryStorage
import TributaryWire

/// Durable hints: batches a replica did not confirm, kept by the
/// coordinator until that replica has them. One write-ahead log per target
/// node under `data_dir/hints/<node>/`, whose records are laid out like the
/// ingest log's (`string tenant | BATCH frame`); a hint is appended (and
/// synced) before the agent is acknowledged.
///
/// Replay sends hints in order and deletes segments once every hint in
/// them was confirmed. How far delivery got is kept in
/// `hints/<node>.delivered` (written after each round), so a restart does
/// not send delivered hints again; only those of a round cut short by a
/// crash are, and the replica stores each batch once.
actor HintStore {
    struct Pending: Sendable {
        var hints: Int
        var bytes: Int
    }

    private let directory: String
    private let maxBytes: Int
    private var logs: [String: WriteAheadLog] = [:]
    /// Per node: every hint at or below this sequence was delivered.
    private var delivered: [String: UInt64] = [:]
    private var pendingBytes: [String: Int] = [:]
    private var sizes: [String: [(sequence: UInt64, bytes: Int)]] = [:]
    private var replaying: Set<String> = []

    private init(directory: String, maxBytes: Int) {
        self.directory = directory
        self.maxBytes = maxBytes
    }

    /// Opens every node's hint log left by an earlier run.
    static func open(directory: String, maxBytes: Int) async throws -> HintStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = HintStore(directory: directory, maxBytes: maxBytes)
        for node in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where !node.hasSuffix(".delivered") {
            try await store.openLog(node)
        }
        return store
    }

    @discardableResult
    private func openLog(_ node: String) throws -> WriteAheadLog {
        if let log = logs[node] { return log }
        let saved = (try? String(contentsOfFile: watermarkPath(node), encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        // Numbering goes on after what was delivered, even when every
        // segment was deleted (else new hints would look delivered).
        let (log, _) = try WriteAheadLog.open(directory: directory + "/" + node, after: saved)
        var first: UInt64?
        var entries: [(UInt64, Int)] = []
        try log.replay { record in
            if first == nil { first = record.sequence }
            entries.append((record.sequence, record.payload.readableBytes))
        }
        logs[node] = log
        let through = max((first ?? 1) - 1, saved)
        delivered[node] = through
        sizes[node] = entries.filter { $0.0 > through }
        pendingBytes[node] = sizes[node]!.reduce(0) { $0 + $1.bytes }
        return log
    }

    /// Keeps `batch` for `node`; returns once it is durable. Throws when the
    /// node's hints already hold `maxBytes` (the replica then waits for repair).
    func append(node: String, tenant: String, batch: Batch) async throws {
        let log = try openLog(node)
        guard pendingBytes[node, default: 0] < maxBytes else {
            throw HintError.full(node: node, bytes: pendingBytes[node, default: 0], limit: maxBytes)
        }
        var payload = ByteBuffer()
        payload.writeWireString(tenant)
        Frame.batch(batch).write(into: &payload)
        let bytes = payload.readableBytes
        pendingBytes[node, default: 0] += bytes
        do {
            let sequence = try await log.append(payload)
            sizes[node, default: []].append((sequence, bytes))
        } catch {
            pendingBytes[node, default: 0] -= bytes
            throw error
        }
    }

    /// Hints waiting, per node.
    func pending() async -> [String: Pending] {
        var result: [String: Pending] = [:]
        for (node, log) in logs {
            let upcoming = await log.upcomingSequence
            let count = Int(upcoming - 1 - min(upcoming - 1, delivered[node] ?? 0))
            if count > 0 || pendingBytes[node, default: 0] > 0 {
                result[node] = Pending(hints: count, bytes: pendingBytes[node, default: 0])
            }
        }
        return result
    }

    /// Sends `node`'s hints in order through `deliver` (true: confirmed),
    /// up to 256 at a time, until one is not confirmed or none are left.
    /// Returns how many were delivered.
    func replay(node: String, deliver: @Sendable (String, Batch) async -> Bool) async -> Int {
        guard let log = logs[node], !replaying.contains(node) else { return 0 }
        replaying.insert(node)
        defer { replaying.remove(node) }
        var total = 0
        while true {
            let after = delivered[node] ?? 0
            let upcoming = await log.upcomingSequence
            guard after + 1 < upcoming else { break }
            var chunk: [(UInt64, (tenant: String, batch: Batch)?)] = []
            do {
                try log.replay(from: after + 1) { record in
                    guard record.sequence < upcoming else { throw StopReplay() }
                    // A hint that does not decode cannot be sent: it is skipped
                    // alone (repair fills the gap), the others go on.
                    chunk.append((record.sequence, try? IngestStore.decode(record.payload)))
                    if chunk.count >= 256 { throw StopReplay() }
                }
            } catch is StopReplay {
            } catch {
                // Reading failed (I/O): try again next round, skipping nothing.
                guard !chunk.isEmpty else { return total }
            }
            guard !chunk.isEmpty else { break }
            for (sequence, entry) in chunk {
                guard let (tenant, batch) = entry else {
                    delivered[node] = sequence
                    continue
                }
                guard await deliver(tenant, batch) else {
                    await trim(node, log: log)
                    return total
                }
                delivered[node] = sequence
                total += 1
            }
            await trim(node, log: log)
        }
        return total
    }

    /// Forgets the delivered hints: their bytes, and the segments they fill.
    private func trim(_ node: String, log: WriteAheadLog) async {
        let through = delivered[node] ?? 0
        let list = sizes[node] ?? []
        let covered = list.firstIndex { $0.sequence > through } ?? list.count
        let freed = list[..<covered].reduce(0) { $0 + $1.bytes }
        sizes[node] = Array(list[covered...])
        pendingBytes[node, default: 0] -= freed
        // Segments go only once the watermark that says they were delivered
        // is durable; otherwise a crash would replay nothing of them, or
        // (watermark lost) replay hints the peer already has — harmless,
        // the peer deduplicates — but never lose one.
        do {
            try DurableFile.replace(watermarkPath(node), withText: "\(through)\n")
        } catch {
            return
        }
        _ = try? await log.removeSegments(through: through)
    }

    private func watermarkPath(_ node: String) -> String { directory + "/" + node + ".delivered" }

    func close() async {
        for log in logs.values { await log.close() }
    }

    private struct StopReplay: Error {}
}

enum HintError: Error, CustomStringConvertible {
    case full(node: String, bytes: Int, limit: Int)

    var description: String {
        switch self {
        case .full(let node, let bytes, let limit):
            return "hints for \(node) hold \(bytes) bytes, at cluster.max_hint_bytes (\(limit)): no more are kept; repair brings \(node) up to date once it is back"
        }
    }
}
