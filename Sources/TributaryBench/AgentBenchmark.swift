import Foundation
import Logging
import NIOCore
import TributaryHTTPClient
import TributaryNode
import TributaryPKI
import TributaryTLS

/// `trib bench agent`: the agent as a separate process (as deployed)
/// forwarding over TLS with zlib level 1 to a node in this process.
///
/// - `file_mib_per_s`: a file of 200-byte Loghub lines, written before the
///   agent starts, from agent start until the node acknowledged every line.
/// - `syslog_msgs_per_s`: `loggen` over TCP into the agent until the node
///   acknowledged every message; `rsyslog_msgs_per_s`: the same `loggen`
///   run into rsyslog (imptcp → omfile) until its file has every line;
///   `syslog_ng_msgs_per_s`: the same into syslog-ng (network() → file()).
/// - `steady_cores`, `steady_rss_mb`: the agent tailing a file written at a
///   steady rate; its CPU time over the wall time, and its peak RSS.
/// - `agent_binary_mb`: the size of the agent executable measured
///   (`agent_executable`: `trib-agent` beside `trib` when there is one).
public struct AgentBenchmark: Sendable {
    public var fileMiB = 512
    public var syslogMessages = 300_000
    public var steadySeconds = 30.0
    public var steadyLinesPerSecond = 10_000
    public var tribExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    /// The agent measured: `trib-agent` (the agent-only executable the
    /// packages install) when it is beside `trib`, else `trib agent`; or
    /// the executable given (`trib` itself measures `trib agent`).
    public var agentExecutable: String?
    public var only: Set<String> = []
    /// Syslog receivers measured beside the agent: `rsyslog`, `syslog-ng`.
    public var references: Set<String> = ["rsyslog", "syslog-ng"]

    public init() {}

    static let token = "bench-agent-token"

    public func run(corpus: LoghubCorpus) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = try await BenchNode.start(directory: directory, token: Self.token)
        let lines = Self.lines(corpus)
        var report = BenchmarkReport(bench: "agent")
        let agent = agentCommand(config: "")
        report.add("agent_executable", URL(fileURLWithPath: agent.executable).lastPathComponent)
        let size = (try? FileManager.default.attributesOfItem(atPath: agent.executable)[.size] as? Int) ?? 0
        report.add("agent_binary_mb", Double(size) / 1_048_576, decimals: 1)
        if only.isEmpty || only.contains("file") {
            let mib = try fileThroughput(directory: directory.appendingPathComponent("file"), nodePort: node.port, lines: lines)
            report.add("file_mib_per_s", mib)
        }
        if only.isEmpty || only.contains("syslog") {
            let (agentRate, rsyslogRate, syslogNgRate) = try syslogThroughput(directory: directory.appendingPathComponent("syslog"), nodePort: node.port)
            report.add("syslog_msgs_per_s", Int(agentRate))
            if let rsyslogRate {
                report.add("rsyslog_msgs_per_s", Int(rsyslogRate))
                report.add("syslog_vs_rsyslog", agentRate / rsyslogRate, decimals: 2)
            } else {
                report.add("rsyslog_msgs_per_s", references.contains("rsyslog") ? "unavailable (rsyslog could not be downloaded)" : "not run")
            }
            if let syslogNgRate {
                report.add("syslog_ng_msgs_per_s", Int(syslogNgRate))
                report.add("syslog_vs_syslog_ng", agentRate / syslogNgRate, decimals: 2)
            } else {
                report.add("syslog_ng_msgs_per_s", references.contains("syslog-ng") ? "unavailable (apt-get install syslog-ng-core)" : "not run")
            }
        }
        if only.isEmpty || only.contains("steady") {
            let (cores, rss, anonymous) = try await steady(directory: directory.appendingPathComponent("steady"), nodePort: node.port, lines: lines)
            report.add("steady_cores", cores, decimals: 3)
            report.add("steady_rss_mb", rss, decimals: 1)
            report.add("steady_anon_mb", anonymous, decimals: 1)
        }
        await node.stop()
        return [report]
    }

    /// 200-byte lines (199 characters and a newline) cut from the Loghub text.
    static func lines(_ corpus: LoghubCorpus) -> [String] {
        var result: [String] = []
        for file in corpus.files {
            let text = Array(file.lines.joined(separator: " ").utf8.filter { $0 != 0x0A && $0 != 0x0D })
            var offset = 0
            while offset + 199 <= text.count {
                result.append(String(decoding: text[offset..<(offset + 199)], as: UTF8.self) + "\n")
                offset += 199
            }
        }
        return result.filter { $0.utf8.count == 200 }
    }

    // MARK: Agent process

    private func agentConfig(_ directory: URL, nodePort: Int, inputs: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("agent.yaml").path
        let yaml = """
            nodes: [127.0.0.1:\(nodePort)]
            token: \(Self.token)
            tls: {ca: \(directory.deletingLastPathComponent().appendingPathComponent("ca.pem").path)}
            state_dir: \(directory.appendingPathComponent("state").path)
            http_listen: 127.0.0.1:0
            spool: {max_bytes: 4GiB}
            inputs:
            \(inputs)
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The executable and arguments that run the agent on `config`.
    func agentCommand(config: String) -> (executable: String, arguments: [String]) {
        let sibling = URL(fileURLWithPath: tribExecutable).deletingLastPathComponent().appendingPathComponent("trib-agent").path
        let executable = agentExecutable ?? (FileManager.default.isExecutableFile(atPath: sibling) ? sibling : tribExecutable)
        if URL(fileURLWithPath: executable).lastPathComponent == "trib" {
            return (executable, ["agent", "--config", config])
        }
        return (executable, ["--config", config])
    }

    private func startAgent(_ config: String) throws -> (BenchChild, Int) {
        let command = agentCommand(config: config)
        let agent = try BenchChild(command.executable, command.arguments)
        let line = try agent.waitForLine { $0.contains("HTTP on http://") }
        let address = line.components(separatedBy: "HTTP on http://")[1].split(separator: " ")[0]
        guard let port = Int(address.split(separator: ":").last ?? "") else { throw BenchChildError.failed("no port in \(line)") }
        return (agent, port)
    }

    /// Records the node acknowledged, from the agent's /metrics.
    static func recordsOut(_ httpPort: Int) -> Int {
        var body: [UInt8] = []
        try? HTTPGetClient.get(host: "127.0.0.1", port: httpPort, path: "/metrics", status: { _ in }, body: { body += $0 })
        var total = 0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix("tributary_agent_records_out_total{") {
            total += Int(line.split(separator: " ").last ?? "") ?? 0
        }
        return total
    }

    private func waitForRecords(_ httpPort: Int, _ count: Int, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Self.recordsOut(httpPort) < count {
            guard Date() < deadline else { throw BenchChildError.failed("the node acknowledged \(Self.recordsOut(httpPort)) of \(count) records in \(timeout) s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    // MARK: Figures

    private func fileThroughput(directory: URL, nodePort: Int, lines: [String]) throws -> Double {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("big.log")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let total = fileMiB << 20 / 200
        var chunk = ""
        for index in 0..<total {
            chunk += lines[index % lines.count]
            if chunk.utf8.count >= 4 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        let config = try agentConfig(directory, nodePort: nodePort, inputs: "  - {type: file, paths: [\(file.path)]}")
        let start = Date()
        let (agent, http) = try startAgent(config)
        defer { agent.stop() }
        try waitForRecords(http, total, timeout: 600)
        let elapsed = Date().timeIntervalSince(start)
        return Double(total * 200) / Double(1 << 20) / elapsed
    }

    /// Messages per second through the agent, rsyslog and syslog-ng (nil
    /// for a reference that is not available).
    private func syslogThroughput(directory: URL, nodePort: Int) throws -> (Double, Double?, Double?) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/loggen") else {
            throw BenchChildError.failed("loggen is missing: apt-get install syslog-ng-core")
        }
        let config = try agentConfig(directory, nodePort: nodePort, inputs: "  - {type: syslog, name: net, tcp: 127.0.0.1:0}")
        let (agent, http) = try startAgent(config)
        defer { agent.stop() }
        let portLine = try agent.waitForLine { $0.contains("input net:") }
        guard let port = portLine.split(separator: " ").last.flatMap({ Int($0) }) else { throw BenchChildError.failed("no port in \(portLine)") }
        let agentRate = try loggen(into: port, until: { Self.recordsOut(http) >= syslogMessages })
        agent.stop()

        var rsyslogRate: Double?
        if references.contains("rsyslog"), let rsyslogd = RsyslogReference.locate() {
            let reference = try RsyslogReference.start(rsyslogd, directory: directory.appendingPathComponent("rsyslog"))
            defer { reference.stop() }
            rsyslogRate = try loggen(into: reference.port, until: { reference.linesWritten() >= syslogMessages })
        }
        var syslogNgRate: Double?
        if references.contains("syslog-ng"), let syslogNg = SyslogNgReference.locate() {
            let reference = try SyslogNgReference.start(syslogNg, directory: directory.appendingPathComponent("syslog-ng"))
            defer { reference.stop() }
            syslogNgRate = try loggen(into: reference.port, until: { reference.linesWritten() >= syslogMessages })
        }
        return (agentRate, rsyslogRate, syslogNgRate)
    }

    /// Runs loggen (TCP, 200-byte RFC 3164 messages, 2 connections, as fast
    /// as it goes) and returns messages per second until `done` holds.
    private func loggen(into port: Int, until done: () -> Bool) throws -> Double {
        let start = Date()
        let loggen = try BenchChild("/usr/bin/loggen", ["--inet", "--stream", "--rate", "10000000", "--size", "200", "--active-connections", "2",
                                                         "--number", String(syslogMessages / 2), "127.0.0.1", String(port)])
        let deadline = Date().addingTimeInterval(600)
        while !done() {
            guard Date() < deadline else { throw BenchChildError.failed("not every loggen message arrived in 600 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let elapsed = Date().timeIntervalSince(start)
        _ = loggen.waitForExit(timeout: 10)
        return Double(syslogMessages) / elapsed
    }

    /// CPU cores, peak VmRSS and peak RssAnon (MB) of the agent process.
    private func steady(directory: URL, nodePort: Int, lines: [String]) async throws -> (Double, Double, Double) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("steady.log")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let config = try agentConfig(directory, nodePort: nodePort, inputs: "  - {type: file, paths: [\(file.path)]}")
        let (agent, _) = try startAgent(config)
        defer { agent.stop() }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        // 100 writes a second of rate/100 lines each.
        let perTick = max(1, steadyLinesPerSecond / 100)
        var index = 0
        let warmup = 5.0
        let begin = ContinuousClock.now
        var measuredFrom: (cpu: Double, time: ContinuousClock.Instant)?
        var peakRSS = 0
        var peakAnonymous = 0
        var tick = 0
        while true {
            let elapsed = (ContinuousClock.now - begin) / .seconds(1)
            if elapsed >= warmup + steadySeconds { break }
            if measuredFrom == nil, elapsed >= warmup { measuredFrom = (agent.cpuSeconds, .now) }
            var text = ""
            for _ in 0..<perTick {
                text += lines[index % lines.count]
                index += 1
            }
            handle.write(Data(text.utf8))
            tick += 1
            if tick % 20 == 0 {
                peakRSS = max(peakRSS, agent.residentBytes())
                peakAnonymous = max(peakAnonymous, agent.residentBytes("RssAnon"))
            }
            try await Task.sleep(until: begin + .milliseconds(10 * tick), clock: .continuous)
        }
        guard let (cpuBefore, since) = measuredFrom else { return (0, 0, 0) }
        let cpu = agent.cpuSeconds - cpuBefore
        let wall = (ContinuousClock.now - since) / .seconds(1)
        peakRSS = max(peakRSS, agent.residentBytes())
        peakAnonymous = max(peakAnonymous, agent.residentBytes("RssAnon"))
        return (cpu / wall, Double(peakRSS) / 1_048_576, Double(peakAnonymous) / 1_048_576)
    }
}
