import Synchronization

/// Parsed block indexes, kept across queries: blocks never change once
/// renamed into place, and reading and parsing an index (labels, time
/// ranges, trigram filters) for every block on every query cost more than
/// the search itself. Keyed by path, inode and size; least recently used
/// entries go once the cache holds `capacityBytes`.
final class BlockIndexCache: Sendable {
    static let shared = BlockIndexCache(capacityBytes: 256 << 20)

    /// The modification time catches a file damaged in place.
    struct Key: Hashable {
        let path: String
        let inode: UInt64
        let size: Int
        let modified: Int64
    }

    private struct State {
        var entries: [Key: (chunks: [BlockChunk], bytes: Int, used: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let capacityBytes: Int
    private let state = Mutex(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func chunks(for key: Key) -> [BlockChunk]? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key]!.used = state.clock
            return entry.chunks
        }
    }

    func insert(_ chunks: [BlockChunk], for key: Key) {
        let bytes = chunks.reduce(256) { total, chunk in
            total + 128 + chunk.filter.words.count * 8 + chunk.labels.reduce(0) { $0 + 32 + $1.name.utf8.count + $1.value.utf8.count }
        }
        guard bytes <= capacityBytes / 4 else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.entries.updateValue((chunks, bytes, state.clock), forKey: key) { state.bytes -= old.bytes }
            state.bytes += bytes
            while state.bytes > capacityBytes, let oldest = state.entries.min(by: { $0.value.used < $1.value.used }) {
                state.bytes -= oldest.value.bytes
                state.entries[oldest.key] = nil
            }
        }
    }
}
