import Foundation
import Testing
import TributaryTestSupport

/// `trib agent` tailing files into a real `trib node`, both as processes,
/// over TLS on loopback.
extension AgentProcessTests {
@Suite struct AgentFileTests {
    /// Appends numbered lines to a log file the way an application with
    /// rotation does: `rotate()` renames the file and starts a new one.
    final class Writer {
        let path: String
        private var handle: FileHandle
        private(set) var written = 0
        private var rotations = 0

        init(path: String) throws {
            self.path = path
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }

        func write(_ count: Int, padding: Int = 150, prefix: String = "line") throws {
            var text = ""
            for _ in 0..<count {
                written += 1
                text += "\(prefix) \(written) " + String(repeating: "p", count: padding) + "\n"
            }
            try handle.seekToEnd()
            handle.write(Data(text.utf8))
        }

        /// Rename rotation: app.log → app.log.N, then a fresh app.log.
        func rotate() throws {
            rotations += 1
            try handle.close()
            try FileManager.default.moveItem(atPath: path, toPath: path + ".\(rotations)")
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }

        /// Copytruncate rotation: copy the file aside, then truncate it in place.
        func copyTruncate() throws {
            rotations += 1
            try FileManager.default.copyItem(atPath: path, toPath: path + ".\(rotations)")
            try handle.truncate(atOffset: 0)
        }
    }

    /// The numbers of `line N …` messages, with how often each came back.
    static func numbers(_ lines: [[String: Any]]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for line in lines {
            guard let text = line["line"] as? String else { continue }
            let parts = text.split(separator: " ", maxSplits: 2)
            if parts.count >= 2, parts[0] == "line", let number = Int(parts[1]) { counts[number, default: 0] += 1 }
        }
        return counts
    }

    static func expectExactlyOnce(_ counts: [Int: Int], _ total: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let missing = (1...total).filter { counts[$0] == nil }
        let repeated = counts.filter { $0.value > 1 }.map(\.key).sorted()
        #expect(missing.count == 0, "missing \(missing.count) lines, e.g. \(missing.prefix(10))", sourceLocation: sourceLocation)
        #expect(repeated.count == 0, "repeated \(repeated.count) lines, e.g. \(repeated.prefix(10))", sourceLocation: sourceLocation)
        #expect(counts.count == total, sourceLocation: sourceLocation)
    }

    @Test func killNineOfAgentAndNodeDuringRotationLosesAndRepeatsNothing() async throws {
        let port = try NodeSetup.freePort()
        let node = try NodeSetup(port: port)
        let setup = try AgentSetup(node: node, nodePort: port, inputs: """
              - type: file
                name: app
                paths: [LOGS/app.log*]
            """)
        var (nodeProcess, _, http) = try await node.startWithHTTP()
        var (agent, _) = try await setup.start()
        let writer = try Writer(path: setup.logDirectory.appendingPathComponent("app.log").path)
        let total = 20_000
        while writer.written < total {
            try writer.write(100)
            try await Task.sleep(for: .milliseconds(5))
            switch writer.written {
            case 3_000, 15_000:
                agent.signal(SIGKILL)
                _ = await agent.waitForExit()
                (agent, _) = try await setup.start()
            case 5_000, 12_000:
                try writer.rotate()
            case 8_000:
                nodeProcess.signal(SIGKILL)
                _ = await nodeProcess.waitForExit()
                try await Task.sleep(for: .milliseconds(500))
                (nodeProcess, _, http) = try await node.startWithHTTP()
            default:
                break
            }
        }
        let finalHTTP = http
        try await AgentSetup.eventually("all \(total) lines", seconds: 90) {
            try AgentSetup.lines(http: finalHTTP, #"{source="file"}"#).count >= total
        }
        try await Task.sleep(for: .seconds(1))
        let lines = try AgentSetup.lines(http: http, #"{source="file", env="test"}"#)
        Self.expectExactlyOnce(Self.numbers(lines), total)
        let labels = try #require(lines.first?["labels"] as? [String: String])
        #expect(labels["filename"]?.hasPrefix(setup.logDirectory.path) == true)
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        nodeProcess.signal(SIGTERM)
        _ = await nodeProcess.waitForExit()
    }

    @Test func renameAndCopytruncateRotationWhileWritingDeliverEveryLineOnce() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: file
                name: renamed
                paths: [LOGS/renamed.log]
                rotate_wait: 1s
              - type: file
                name: truncated
                paths: [LOGS/truncated.log]
            """)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let renamed = try Writer(path: setup.logDirectory.appendingPathComponent("renamed.log").path)
        let truncated = try Writer(path: setup.logDirectory.appendingPathComponent("truncated.log").path)
        for round in 1...30 {
            try renamed.write(100)
            try truncated.write(100)
            try await Task.sleep(for: .milliseconds(50))
            if round % 10 == 0 {
                // Rotation only works for a file the agent has seen: a
                // file renamed away before the next scan is out of reach of
                // the glob (as for every tailer). Copytruncate also loses
                // what was not read before the truncation, inherently.
                let (renamedSent, truncatedSent) = (renamed.written, truncated.written)
                try await AgentSetup.eventually("both files read up to \(renamedSent) and \(truncatedSent)") {
                    let renamedMax = Self.numbers(try AgentSetup.lines(http: http, #"{filename=~".*renamed.log"}"#)).keys.max() ?? 0
                    let truncatedMax = Self.numbers(try AgentSetup.lines(http: http, #"{filename=~".*truncated.log"}"#)).keys.max() ?? 0
                    return renamedMax >= renamedSent && truncatedMax >= truncatedSent
                }
                try renamed.rotate()
                try truncated.copyTruncate()
                // New lines right away, before the agent notices the truncation.
                try truncated.write(100)
            }
        }
        try await AgentSetup.eventually("every line of both files") {
            try AgentSetup.lines(http: http, #"{filename=~".*renamed.log"}"#).count >= renamed.written
                && AgentSetup.lines(http: http, #"{filename=~".*truncated.log"}"#).count >= truncated.written
        }
        try await Task.sleep(for: .seconds(1))
        Self.expectExactlyOnce(Self.numbers(try AgentSetup.lines(http: http, #"{filename=~".*renamed.log"}"#)), renamed.written)
        Self.expectExactlyOnce(Self.numbers(try AgentSetup.lines(http: http, #"{filename=~".*truncated.log"}"#)), truncated.written)
    }

    @Test func multilineLongLinesBinaryAndDeletedFilesAreHandledWithoutLoss() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: #"""
              - type: file
                name: java
                paths: [LOGS/java.log]
                multiline: {start: '^\d{4}-\d{2}-\d{2}', timeout: 500ms}
              - type: file
                name: odd
                paths: [LOGS/odd.log, LOGS/gone.log]
                max_line_bytes: 1KiB
                rotate_wait: 500ms
                redact: [{pattern: '\b\d{16}\b', replacement: '[card]'}]
            """#)
        let logs = setup.logDirectory
        let trace = """
            2026-11-22 10:00:00 ERROR request failed
            java.lang.IllegalStateException: boom
                at com.example.Shop.checkout(Shop.java:42)
                at com.example.Main.main(Main.java:7)
            2026-11-22 10:00:01 INFO recovered

            """
        try trace.write(to: logs.appendingPathComponent("java.log"), atomically: true, encoding: .utf8)
        var odd = Data("card 4111111111111111 paid\n".utf8)
        odd += Data(String(repeating: "L", count: 2500).utf8) + Data("\n".utf8)
        odd += Data([0x00, 0xFF, 0xFE, 0x01, 0x7F, 0x80, 0x0A])
        odd += Data("last line without newline".utf8)
        try odd.write(to: logs.appendingPathComponent("odd.log"))
        try Data("gone 1\ngone 2\n".utf8).write(to: logs.appendingPathComponent("gone.log"))
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        try await AgentSetup.eventually("the stack trace as one record") {
            try AgentSetup.lines(http: http, #"{filename=~".*java.log"}"#).count == 2
        }
        let java = try AgentSetup.lines(http: http, #"{filename=~".*java.log"}"#, limit: 10).compactMap { $0["line"] as? String }
        #expect(java.contains { $0.hasPrefix("2026-11-22 10:00:00 ERROR") && $0.contains("Main.java:7") })
        #expect(java.contains("2026-11-22 10:00:01 INFO recovered"))

        // Deleted while (or before being) read: what was read is kept.
        try await AgentSetup.eventually("gone.log") {
            try AgentSetup.lines(http: http, #"{filename=~".*gone.log"}"#).count == 2
        }
        try FileManager.default.removeItem(at: logs.appendingPathComponent("gone.log"))
        // The long line in three flagged parts, the redaction, the binary line.
        try await AgentSetup.eventually("odd.log's records") {
            try AgentSetup.lines(http: http, #"{filename=~".*odd.log"}"#).count >= 5
        }
        let odds = try AgentSetup.lines(http: http, #"{filename=~".*odd.log"}"#, limit: 100)
        let texts = odds.compactMap { $0["line"] as? String }
        #expect(texts.contains("card [card] paid"))
        #expect(!texts.contains { $0.contains("4111111111111111") })
        let parts = odds.filter { ($0["fields"] as? [String: String])?["part"] != nil }
        #expect(parts.count == 3, "2500 bytes at 1 KiB per part: \(odds)")
        #expect(parts.compactMap { $0["line"] as? String }.map(\.count).sorted() == [452, 1024, 1024])
        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(page, #"tributary_agent_lines_split_total{input="odd"}"#) == 1)
        // The unterminated last line waits: it may still be growing.
        #expect(!texts.contains("last line without newline"))
    }

    /// A line of exactly max_line_bytes whose newline falls just after the
    /// input's 256 KiB read used to arrive as `part=1` plus an empty `part=2`.
    @Test func aLineOfExactlyTheLimitEndingAtAReadBoundaryStaysWhole() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: """
              - type: file
                name: exact
                paths: [LOGS/exact.log]
                max_line_bytes: 256KiB
            """)
        let line = String(repeating: "x", count: 256 << 10)
        try (line + "\nafter\n").write(to: setup.logDirectory.appendingPathComponent("exact.log"), atomically: true, encoding: .utf8)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        try await AgentSetup.eventually("the line after it") {
            try AgentSetup.lines(http: http, #"{filename=~".*exact.log"}"#).contains { ($0["line"] as? String) == "after" }
        }
        try await Task.sleep(for: .milliseconds(500))
        let lines = try AgentSetup.lines(http: http, #"{filename=~".*exact.log"}"#)
        #expect(lines.count == 2, "the long line and the next, no empty part")
        let long = try #require(lines.first { ($0["line"] as? String)?.count == 256 << 10 })
        #expect((long["fields"] as? [String: String])?["part"] == nil)
    }

    @Test func aStateDirectoryThatCannotBeUsedIsAClearErrorAtStart() async throws {
        let node = try NodeSetup()
        let setup = try AgentSetup(node: node, nodePort: 1, inputs: """
              - type: file
                paths: [LOGS/x.log]
            """)
        // A file where the state directory should be.
        _ = FileManager.default.createFile(atPath: setup.stateDirectory, contents: Data("not a directory".utf8))
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["agent", "--config", setup.configFile])
        #expect(result.status != 0)
        let output = result.stdout + result.stderr
        #expect(output.contains("agent-state"), "\(output)")
        #expect(output.contains("state_dir") || output.contains("spool directory"), "\(output)")
    }
}
}
