import Foundation
import Synchronization

/// A subprocess that keeps running while a test talks to it: a real peer
/// such as `openssl s_server`. Collects stdout and stderr lines as they come,
/// can write to stdin, and is terminated when the test is done (or deinit).
public final class RunningProcess: Sendable {
    private let process: Process
    private let input: Pipe
    private let lines = LineBuffer()

    public init(_ executable: URL, _ arguments: [String], currentDirectory: URL? = nil) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let handle = output.fileHandleForReading
        Thread.detachNewThread { [lines] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lines.append(line)
                }
            }
            if !pending.isEmpty {
                let line = String(decoding: pending, as: UTF8.self)
                lines.append(line)
            }
        }
    }

    deinit {
        terminate()
    }

    /// Everything printed so far.
    public var output: [String] { lines.all }

    /// Waits until a line satisfies `predicate` and returns it.
    ///
    /// The output is checked once more after the deadline: a test task can
    /// wake from its sleep long after the process printed the line (the
    /// cooperative pool is busy on a loaded machine), and that is no timeout.
    public func waitForLine(timeout: Double = 60, where predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = output.first(where: predicate) { return line }
            guard Date() < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RunningProcessError.timedOut(output: output.joined(separator: "\n"))
    }

    public func write(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    public func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    public var isRunning: Bool { process.isRunning }

    public func waitForExit(timeout: Double = 20) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    public func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Sends `signal` (SIGKILL for a crash, SIGTERM for a clean stop).
    public func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }
}

public enum RunningProcessError: Error, CustomStringConvertible {
    case timedOut(output: String)

    public var description: String {
        switch self {
        case .timedOut(let output): return "timed out waiting for the process; it printed:\n\(output)"
        }
    }
}

/// Lines collected from a pipe, shared between its reader thread and tests.
private final class LineBuffer: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
