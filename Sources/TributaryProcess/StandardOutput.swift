#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// What a command tells its operator on standard output and error.
public enum StandardOutput {
    /// Writes `line` and a newline to standard output at once (unbuffered,
    /// one `write` when it fits), so scripts and supervisors see it even
    /// when stdout is a pipe.
    public static func say(_ line: String) {
        write(line, to: STDOUT_FILENO)
    }

    /// Writes `line` and a newline to standard error.
    public static func complain(_ line: String) {
        write(line, to: STDERR_FILENO)
    }

    private static func write(_ line: String, to descriptor: Int32) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
