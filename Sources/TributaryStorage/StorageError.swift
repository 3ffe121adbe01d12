/// Why storage refused or lost something, with the file and what to do.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The disk (or the configured limit) is full: nothing was written,
    /// nothing acknowledged is lost; retry once space is freed.
    case diskFull(path: String)
    case io(path: String, operation: String, errno: Int32)
    case recordTooLarge(bytes: Int, limit: Int)
    /// The log was closed.
    case closed

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
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
