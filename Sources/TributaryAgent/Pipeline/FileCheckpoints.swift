import Foundation
import Synchronization
import TributaryDurability

/// How far each tailed file has been delivered: a file's checkpoint moves to
/// a batch's position only once the node acknowledged that batch and every
/// earlier batch from the same file. Saved to `<state_dir>/files.json`.
///
/// On restart an input resumes at the furthest of this checkpoint and the
/// positions of batches still in the spool (which the spool will deliver);
/// if a damaged spool segment was quarantined, the checkpoint alone decides
/// and the file is re-read from there, so nothing is lost.
public final class FileCheckpoints: Sendable {
    struct Saved: Codable {
        var files: [Entry]
        struct Entry: Codable {
            var path: String
            var file: FileIdentity
            var offset: UInt64
            var updated: Double
        }
    }

    private struct Tracked {
        var path: String
        var committed: UInt64
        /// Batches carrying this file not yet acknowledged, oldest first.
        var pending: [(sequence: UInt64, offset: UInt64, acknowledged: Bool)] = []
        var updated: Double
    }

    private let path: String
    private let state: Mutex<(files: [FileIdentity: Tracked], dirty: Bool)>

    public init(stateDirectory: String) {
        path = stateDirectory + "/files.json"
        var files: [FileIdentity: Tracked] = [:]
        if let data = FileManager.default.contents(atPath: path), let saved = try? JSONDecoder().decode(Saved.self, from: data) {
            for entry in saved.files {
                files[entry.file] = Tracked(path: entry.path, committed: entry.offset, updated: entry.updated)
            }
        }
        state = Mutex((files, false))
    }

    /// The acknowledged offset of `file`, if it was ever seen.
    public func committed(_ file: FileIdentity) -> UInt64? {
        state.withLock { $0.files[file]?.committed }
    }

    /// Files known to the checkpoint whose device and inode match, whatever
    /// their fingerprint (a reused inode, or a file that grew past a short
    /// fingerprint).
    public func known(device: UInt64, inode: UInt64) -> [(FileIdentity, UInt64)] {
        state.withLock { state in
            state.files.filter { $0.key.device == device && $0.key.inode == inode }.map { ($0.key, $0.value.committed) }
        }
    }

    /// Starts tracking a file the input opened (no-op if known).
    public func track(_ file: FileIdentity, path: String, from offset: UInt64) {
        state.withLock { state in
            if state.files[file] == nil {
                state.files[file] = Tracked(path: path, committed: offset, updated: Date().timeIntervalSince1970)
                state.dirty = true
            }
        }
    }

    /// A batch holding data of these files up to these positions is in the spool.
    public func spooled(_ sequence: UInt64, _ positions: [FilePosition]) {
        guard !positions.isEmpty else { return }
        state.withLock { state in
            for position in positions {
                state.files[position.file, default: Tracked(path: "", committed: 0, updated: 0)].pending
                    .append((sequence, position.offset, false))
            }
        }
    }

    /// The node acknowledged the batch (or refused it for good).
    public func acknowledged(_ sequence: UInt64, _ positions: [FilePosition]) {
        guard !positions.isEmpty else { return }
        state.withLock { state in
            for position in positions {
                guard var tracked = state.files[position.file] else { continue }
                if let index = tracked.pending.firstIndex(where: { $0.sequence == sequence }) {
                    tracked.pending[index].acknowledged = true
                } else {
                    // Recovered from the spool after a restart: nothing earlier is pending here.
                    tracked.committed = max(tracked.committed, position.offset)
                }
                while let first = tracked.pending.first, first.acknowledged {
                    tracked.committed = max(tracked.committed, first.offset)
                    tracked.pending.removeFirst()
                }
                tracked.updated = Date().timeIntervalSince1970
                state.files[position.file] = tracked
                state.dirty = true
            }
        }
    }

    /// Positions reached with nothing to send (every line filtered out):
    /// committed as soon as the batches before them are acknowledged.
    public func passed(_ positions: [FilePosition]) {
        guard !positions.isEmpty else { return }
        state.withLock { state in
            for position in positions {
                guard var tracked = state.files[position.file] else { continue }
                tracked.pending.append((0, position.offset, true))
                while let first = tracked.pending.first, first.acknowledged {
                    tracked.committed = max(tracked.committed, first.offset)
                    tracked.pending.removeFirst()
                }
                state.files[position.file] = tracked
                state.dirty = true
            }
        }
    }

    /// Drops files not updated for `age` seconds that have nothing pending
    /// (deleted long ago), so the file does not grow forever.
    public func forget(olderThan age: Double, except live: Set<FileIdentity>) {
        let cutoff = Date().timeIntervalSince1970 - age
        state.withLock { state in
            let stale = state.files.filter { !live.contains($0.key) && $0.value.pending.isEmpty && $0.value.updated < cutoff }.map(\.key)
            for key in stale { state.files[key] = nil }
            if !stale.isEmpty { state.dirty = true }
        }
    }

    /// Writes the checkpoint file (atomically, synced) if anything changed.
    public func save() throws {
        let saved: Saved? = state.withLock { state in
            guard state.dirty else { return nil }
            state.dirty = false
            return Saved(files: state.files.map { Saved.Entry(path: $0.value.path, file: $0.key, offset: $0.value.committed, updated: $0.value.updated) }
                .sorted { $0.path < $1.path })
        }
        guard let saved else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(saved)
        do {
            // Segments are deleted on the strength of this file: every step,
            // the directory's sync included, must have worked.
            try DurableFile.replace(path, with: Array(data), mode: 0o600)
        } catch {
            state.withLock { $0.dirty = true }
            throw SpoolError.writeFailed(path: error.path, errno: error.errno)
        }
    }
}
