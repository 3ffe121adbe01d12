import Foundation
import Synchronization

/// The TLS context new connections should use, replaced when the files
/// behind it change or when asked (SIGHUP): certificate renewal without a
/// restart. Connections keep the context they started with, so existing
/// sessions carry on untouched.
///
/// A reload that fails (a half-written file, a key that does not match)
/// keeps the previous context and reports why; it never leaves the
/// endpoint without a working context.
public final class TLSContextStore: Sendable {
    public let role: TLSContext.Role
    public let configuration: TLSConfiguration
    private let state: Mutex<(context: TLSContext, stamps: [FileStamp])>

    /// What identifies a file's version: size, modification time and inode
    /// (an atomic rename changes the inode even within one second).
    struct FileStamp: Equatable {
        let path: String
        let size: UInt64
        let modified: Date
        let inode: UInt64

        init(path: String) {
            self.path = path
            let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
            size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            modified = attributes[.modificationDate] as? Date ?? .distantPast
            inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
    }

    public init(configuration: TLSConfiguration, role: TLSContext.Role) throws(TLSError) {
        self.role = role
        self.configuration = configuration
        let stamps = configuration.files.map(FileStamp.init(path:))
        let context = try TLSContext(configuration: configuration, role: role)
        state = Mutex((context, stamps))
    }

    /// The context for a new connection.
    public var context: TLSContext {
        state.withLock { $0.context }
    }

    /// Re-reads the files now. On failure the previous context stays.
    public func reload() throws(TLSError) {
        let stamps = configuration.files.map(FileStamp.init(path:))
        let fresh = try TLSContext(configuration: configuration, role: role)
        state.withLock { $0 = (fresh, stamps) }
    }

    /// Reloads if any file changed since the last load. Returns whether it
    /// did; throws (keeping the old context) if the changed files are bad.
    @discardableResult
    public func reloadIfFilesChanged() throws(TLSError) -> Bool {
        let current = configuration.files.map(FileStamp.init(path:))
        let changed = state.withLock { $0.stamps != current }
        guard changed else { return false }
        do {
            try reload()
        } catch {
            // Remember the bad version so the same error is not retried
            // (and logged) on every poll; a further change is tried again.
            state.withLock { $0.stamps = current }
            throw error
        }
        return true
    }

    /// Polls the files every `interval` until the task is cancelled,
    /// reporting each reload or failed attempt to `report`.
    public func watchFiles(every interval: Duration = .seconds(5), report: @Sendable (Result<Void, TLSError>) -> Void) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do {
                if try reloadIfFilesChanged() { report(.success(())) }
            } catch {
                report(.failure(error))
            }
        }
    }
}
