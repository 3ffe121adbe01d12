#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file operation that failed, with the path, what was being done and
/// the system's reason, worded for the operator.
public struct DurabilityError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    /// What was being done: "writing", "syncing", "renaming into", ….
    public let operation: String
    public let errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    /// The disk (or a quota) is full: worth waiting for, not a bug.
    public var isDiskFull: Bool { errno == ENOSPC || errno == EDQUOT }

    public var description: String {
        let reason = String(cString: strerror(errno))
        let advice: String
        switch errno {
        case ENOSPC, EDQUOT: advice = ": free space on that file system"
        case EACCES, EPERM, EROFS: advice = ": check the directory's owner, permissions and mount options"
        default: advice = ""
        }
        return "\(operation) \(path) failed: \(reason)\(advice)"
    }
}
