/// What can go wrong with the spool, worded for the operator.
public enum SpoolError: Error, CustomStringConvertible, Sendable {
    case cannotCreate(directory: String, reason: String)
    case notWritable(directory: String, reason: String)
    case writeFailed(path: String, errno: Int32)
    case readFailed(path: String, reason: String)
    case unknownSequence(UInt64)

    public var description: String {
        switch self {
        case .cannotCreate(let directory, let reason):
            return "cannot create the spool directory \(directory): \(reason); create it or set state_dir to a writable directory"
        case .notWritable(let directory, let reason):
            return "the spool directory \(directory) is not writable: \(reason); fix its owner or permissions, or set state_dir elsewhere"
        case .writeFailed(let path, let code):
            let hint = code == 28 ? " (the file system is full: free space or lower spool.max_bytes; inputs are paused meanwhile)" : ""
            return "cannot write the spool file \(path): \(String(cString: strerror(code)))\(hint)"
        case .readFailed(let path, let reason):
            return "cannot read the spool file \(path): \(reason)"
        case .unknownSequence(let sequence):
            return "BUG: batch \(sequence) is not in the spool"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
