/// Why storage refused or lost something, with the file and what to do.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The disk (or the configured limit) is full: nothing was written,
    /// nothing acknowledged is lost; retry once space is freed.
    case diskFull(path: String)
    case io(path: String, operation: String, errno: Int32)
    case recordTooLarge(bytes: Int, limit: Int)
    /// The log was closed.
    case closed
    /// `<data_dir>/checkpoint` cannot be used.
    case corruptCheckpoint(path: String, detail: String)

    public var description: String {
        switch self {
        case .diskFull(let path):
            return "no space left on the device holding \(path): writes are refused until space is freed (nothing already acknowledged is lost)"
        case .io(let path, let operation, let code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .recordTooLarge(let bytes, let limit):
            return "a write-ahead-log record of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .closed:
            return "the write-ahead log is closed"
        case .corruptCheckpoint(let path, let detail):
            return "checkpoint \(path) is damaged (\(detail)); the node cannot tell which write-ahead-log records are already in blocks. Move it away and the node rebuilds from the log it still has; batches whose log was already deleted may then be stored twice if agents resend them"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
