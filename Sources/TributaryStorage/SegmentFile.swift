import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file opened with POSIX calls, so that every write, sync
/// and truncate is explicit and its errno reaches the operator.
///
/// Used only from the write-ahead log's I/O thread; not thread-safe.
final class SegmentFile {
    let path: String
    private let descriptor: Int32
    /// Bytes known to be in the file (everything written, synced or not).
    private(set) var size: Int

    /// Opens `path` for appending, creating it (mode 0600) if asked.
    init(path: String, create: Bool) throws(StorageError) {
        self.path = path
        let flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw Self.error(path, "opening", errno) }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else {
            let code = errno
            close(descriptor)
            throw Self.error(path, "seeking in", code)
        }
        self.descriptor = descriptor
        self.size = Int(end)
    }

    deinit {
        close(descriptor)
    }

    /// Appends all of `buffer`; on failure cuts the file back to its
    /// previous size so a retry never follows a half-written record.
    func append(_ buffer: ByteBuffer) throws(StorageError) {
        let start = size
        let failure: Int32? = buffer.withUnsafeReadableBytes { bytes -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(start + offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            _ = ftruncate(descriptor, off_t(start))
            throw Self.error(path, "writing", failure)
        }
        size = start + buffer.readableBytes
    }

    /// Makes everything appended durable (data and the file size).
    func sync() throws(StorageError) {
        guard fdatasync(descriptor) == 0 else { throw Self.error(path, "syncing", errno) }
    }

    /// Cuts the file to `length` bytes and syncs.
    func truncate(to length: Int) throws(StorageError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.error(path, "truncating", errno) }
        size = length
        try sync()
    }

    static func error(_ path: String, _ operation: String, _ code: Int32) -> StorageError {
        code == ENOSPC || code == EDQUOT ? .diskFull(path: path) : .io(path: path, operation: operation, errno: code)
    }

    /// Syncs a directory so that files created or renamed in it survive a crash.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(path, "opening directory", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw error(path, "syncing directory", errno) }
    }
}

@available(*, unavailable)
extension SegmentFile: Sendable {}
