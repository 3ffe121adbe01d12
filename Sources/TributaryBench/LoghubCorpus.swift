import Foundation
import NIOCore
import TributaryModel

/// The Loghub samples (`../shared/data/loghub/*.log`) turned into log
/// records for benchmarks: real text, so compression ratios are real.
public struct LoghubCorpus: Sendable {
    public struct File: Sendable {
        public let name: String
        public let lines: [String]
    }

    public let directory: URL
    public let files: [File]

    /// Loads every `*.log` in `directory`.
    public init(directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".log") }
            .sorted()
        guard !names.isEmpty else { throw LoghubCorpusError.empty(directory.path) }
        self.directory = directory
        self.files = try names.map { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            // isNewline: some Loghub files end lines with CRLF, one Character in Swift.
            return File(name: name, lines: text.split(whereSeparator: \.isNewline).map(String.init))
        }
    }

    /// The first directory that exists among the usual places: `--data`,
    /// `../shared/data/loghub` and `shared/data/loghub` from the working
    /// directory, then the same beside the executable's checkout.
    public static func locate(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var candidates = [
            cwd.appendingPathComponent("../shared/data/loghub"),
            cwd.appendingPathComponent("shared/data/loghub"),
        ]
        var up = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            up = up.deletingLastPathComponent()
            candidates.append(up.appendingPathComponent("shared/data/loghub"))
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path) {
            return candidate.standardizedFileURL
        }
        throw LoghubCorpusError.notFound(candidates.prefix(2).map(\.standardizedFileURL.path))
    }

    /// Log records of exactly `messageBytes` bytes each, made of consecutive
    /// lines of one file (a line shorter than that is continued with the
    /// next), with labels a file-tailing agent would attach.
    public func records(of file: File, messageBytes: Int, startingAt timestamp: Int64) -> [Record] {
        let labels = try! Labels(["host": "bench-1", "source": file.name, "app": String(file.name.prefix { $0 != "_" }).lowercased()])
        let text = Array(file.lines.joined(separator: " ").utf8)
        var records: [Record] = []
        var offset = 0
        var time = timestamp
        while offset + messageBytes <= text.count {
            let message = ByteBuffer(bytes: text[offset..<(offset + messageBytes)])
            records.append(.log(LogRecord(timestamp: time, severity: .info, labels: labels, message: message)))
            offset += messageBytes
            time += 1_000_000
        }
        return records
    }
}

public enum LoghubCorpusError: Error, CustomStringConvertible {
    case notFound([String])
    case empty(String)

    public var description: String {
        switch self {
        case .notFound(let paths):
            return "Loghub samples not found (looked in \(paths.joined(separator: ", "))); pass --data DIR"
        case .empty(let path):
            return "no *.log files in \(path)"
        }
    }
}
