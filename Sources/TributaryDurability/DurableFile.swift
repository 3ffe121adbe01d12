#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that makes small files durable: spool sequence numbers,
/// file checkpoints, the agent id, topologies, certificates, hint
/// watermarks. Every step's result is checked, because data is deleted on
/// the strength of these files: a checkpoint whose `fsync` failed silently
/// would let a crash resume from an older position after the segments that
/// held the difference were removed.
///
/// `replace` writes `<path>.tmp`, syncs it, renames it over `path` and
/// syncs the directory, so after a crash the file holds the old or the new
/// contents, never a mix, and the rename itself survives.
public enum DurableFile {
    /// Replaces `path` with `bytes` atomically and durably.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(DurabilityError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw DurabilityError(path: temporary, operation: "creating", errno: errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(DurabilityError) {
            try writeAll(descriptor, bytes, path: temporary)
            guard fsync(descriptor) == 0 else { throw DurabilityError(path: temporary, operation: "syncing", errno: errno) }
            closed = true
            guard close(descriptor) == 0 else { throw DurabilityError(path: temporary, operation: "closing", errno: errno) }
            guard rename(temporary, path) == 0 else { throw DurabilityError(path: path, operation: "renaming into", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(containing: path)
    }

    /// Replaces `path` with UTF-8 `text` atomically and durably.
    public static func replace(_ path: String, withText text: String, mode: mode_t = 0o644) throws(DurabilityError) {
        try replace(path, with: Array(text.utf8), mode: mode)
    }

    /// The file's bytes, or nil when it does not exist. Any other failure
    /// (permissions, I/O) throws: callers must not take an unreadable file
    /// for a missing one, since "missing" usually means "start afresh".
    public static func readIfPresent(_ path: String, maxBytes: Int = 16 << 20) throws(DurabilityError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw DurabilityError(path: path, operation: "opening", errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DurabilityError(path: path, operation: "reading", errno: errno)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= maxBytes else {
                throw DurabilityError(path: path, operation: "reading (larger than \(maxBytes) bytes)", errno: EFBIG)
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Syncs a directory so that files created, renamed or deleted in it
    /// survive a crash.
    public static func syncDirectory(_ directory: String) throws(DurabilityError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurabilityError(path: directory, operation: "opening directory", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DurabilityError(path: directory, operation: "syncing directory", errno: errno) }
    }

    /// Syncs the directory that holds `path`.
    public static func syncDirectory(containing path: String) throws(DurabilityError) {
        try syncDirectory(parent(of: path))
    }

    /// Writes every byte, retrying on EINTR and short writes.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(DurabilityError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw DurabilityError(path: path, operation: "writing", errno: errno)
            }
            offset += written
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension DurableFile {
    /// The names in `directory` (without `.` and `..`). Fails rather than
    /// answering an empty list when the directory cannot be read: a store
    /// that took an unreadable directory for an empty one would start
    /// without its data and later overwrite it.
    public static func list(_ directory: String) throws(DurabilityError) -> [String] {
        guard let stream = opendir(directory) else {
            throw DurabilityError(path: directory, operation: "listing", errno: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw DurabilityError(path: directory, operation: "listing", errno: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }
}
