import Foundation

/// The log files the chaos test's agents tail: one writer per stream, each
/// appending `STREAM N padding` lines numbered from 1, rotated by rename on
/// request. Thread-safe: a writing task and the fault loop share it.
final class ChaosLogStreams: @unchecked Sendable {
    struct Stream: Sendable {
        /// The agent whose directory holds the file.
        let agent: Int
        /// The first word of every line, unique across agents.
        let name: String
        let path: String
    }

    let streams: [Stream]
    private var writers: [AgentProcessTests.AgentFileTests.Writer] = []
    private var rotations = 0
    private let lock = NSLock()

    /// - Parameter files: per agent, its log directory and the file names in it.
    init(_ files: [(directory: URL, names: [String])]) throws {
        var streams: [Stream] = []
        for (agent, entry) in files.enumerated() {
            for name in entry.names {
                let path = entry.directory.appendingPathComponent("\(name).log").path
                streams.append(Stream(agent: agent, name: "a\(agent + 1)-\(name)", path: path))
                writers.append(try AgentProcessTests.AgentFileTests.Writer(path: path))
            }
        }
        self.streams = streams
    }

    /// Appends `count` lines to every stream.
    func write(_ count: Int) throws {
        try lock.withLock {
            for (index, writer) in writers.enumerated() {
                try writer.write(count, padding: 80, prefix: streams[index].name)
            }
        }
    }

    /// Rename rotation of stream `index`: app.log → app.log.N and a new app.log.
    func rotate(_ index: Int) throws {
        try lock.withLock {
            try writers[index].rotate()
            rotations += 1
        }
    }

    /// Lines written so far, per stream name.
    var written: [String: Int] {
        lock.withLock { Dictionary(uniqueKeysWithValues: zip(streams.map(\.name), writers.map(\.written))) }
    }

    var rotationCount: Int { lock.withLock { rotations } }
}
