import Foundation
import Logging
import NIOCore
import TributaryModel
import TributaryNode
import TributaryPKI
import TributaryStorage
import TributaryTLS
import TributaryWire

/// `trib bench storage`: how much disk a node takes for a directory of log
/// files, against `gzip -6` of the same files. Every line (split at "\n",
/// other bytes kept exactly, a CRLF file's "\r" included) goes through a
/// real node in-process (write-ahead log, heads, flushes, seals) as one
/// stream per file, timestamped 1 ms apart in buckets that have already
/// ended; once every partition is sealed and the blocks the seals replaced
/// are deleted, `storage_vs_gzip6` counts every byte under `partitions/`
/// (blocks with their indexes and filters, seals). `data_dir_vs_gzip6`
/// counts the whole data directory, which adds state of a bounded size
/// (the log-pattern miner's `patterns.json`, the checkpoint, the log's
/// open segment): noticeable on a few megabytes of logs, negligible on
/// gigabytes. Deterministic: the same files give the same figures on any
/// machine.
///
/// With `comparePlain`, a second node stores the same batches with sealed
/// blocks of plain lines (the format before templates), for comparison.
public struct StorageBenchmark: Sendable {
    public var comparePlain = false

    public init() {}

    /// The `*.log`/`*.txt`… files to load: `path` itself if it is a file,
    /// else every regular file directly in it (hidden files left out).
    public static func files(at path: String) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StorageBenchmarkError.input("\(path) does not exist: pass --data DIR (a directory of log files) or a file")
        }
        let url = URL(fileURLWithPath: path)
        guard isDirectory.boolValue else { return [url] }
        let files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { !$0.lastPathComponent.hasPrefix(".") && ((try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false) == true }
            .sorted { $0.path < $1.path }
        guard !files.isEmpty else { throw StorageBenchmarkError.input("\(path) holds no files to load") }
        return files
    }

    public func run(files: [URL], progress: @Sendable (String) -> Void = { _ in }) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var gzipBytes = 0
        var rawBytes = 0
        var lineCount = 0
        for file in files {
            gzipBytes += try Self.gzip6Bytes(of: file)
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            rawBytes += size
        }
        var nodes: [(name: String, node: NodeService, data: String)] = []
        for (name, templated) in [("templated", true)] + (comparePlain ? [("plain", false)] : []) {
            let data = directory.appendingPathComponent(name).path
            nodes.append((name, try await Self.startNode(directory: directory.appendingPathComponent(name + "-tls"), data: data, templated: templated), data))
        }
        do {
            lineCount = try await load(files, into: nodes.map(\.node), progress: progress)
            for entry in nodes {
                try await entry.node.flush()
                try await Self.settle(entry.node)
            }
        } catch {
            for entry in nodes { await entry.node.stop() }
            throw error
        }
        var report = BenchmarkReport(bench: "storage")
        report.add("files", files.count)
        report.add("lines", lineCount)
        report.add("raw_bytes", rawBytes)
        report.add("gzip6_bytes", gzipBytes)
        for entry in nodes {
            await entry.node.stop()
            let disk = QueryBenchmark.bytes(under: entry.data)
            let partitions = QueryBenchmark.bytes(under: entry.data + "/partitions")
            let breakdown = QueryBenchmark.breakdown(entry.data)
            let prefix = entry.name == "templated" ? "" : entry.name + "_"
            report.add(prefix + "storage_vs_gzip6", Double(partitions) / Double(max(gzipBytes, 1)), decimals: 3)
            report.add(prefix + "data_dir_vs_gzip6", Double(disk) / Double(max(gzipBytes, 1)), decimals: 3)
            report.add(prefix + "partition_bytes", partitions)
            report.add(prefix + "data_dir_bytes", disk)
            report.add(prefix + "sealed_bytes", breakdown.sealed)
            report.add(prefix + "sealed_filter_bytes", breakdown.filters)
        }
        return [report]
    }

    /// Sends every file's lines, at most 1,000 lines or 1 MiB a batch,
    /// into each node. Returns the lines sent.
    private func load(_ files: [URL], into nodes: [NodeService], progress: @Sendable (String) -> Void) async throws -> Int {
        var perFile: [[[UInt8]]] = []
        for file in files {
            let data = try Data(contentsOf: file)
            var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
            if lines.last?.isEmpty == true { lines.removeLast() }
            perFile.append(lines)
        }
        let total = perFile.reduce(0) { $0 + $1.count }
        // 1 ms apart, ending at least an hour before the bucket now, so
        // every bucket has ended and seals at once.
        let hour: Int64 = 3_600_000_000_000
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        let first = (now - Int64(total) * 1_000_000 - 2 * hour) / hour * hour
        var time = first
        var sequence: UInt64 = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for (fileIndex, lines) in perFile.enumerated() {
                let labels = try Labels(["source": files[fileIndex].lastPathComponent, "host": "bench-storage"])
                var start = 0
                while start < lines.count {
                    var records: [Record] = []
                    var bytes = 0
                    while start < lines.count, records.count < 1000, bytes < 1 << 20 || records.isEmpty {
                        records.append(.log(LogRecord(timestamp: time, severity: .info, labels: labels, message: ByteBuffer(bytes: lines[start]))))
                        bytes += lines[start].count
                        time += 1_000_000
                        start += 1
                    }
                    sequence += 1
                    let batch = try BatchEncoder().encode(records, agentID: "bench-storage", sequence: sequence)
                    for node in nodes {
                        if running >= 4 {
                            try await group.next()
                            running -= 1
                        }
                        group.addTask { [records] in
                            while true {
                                switch try await node.ingest(batch, records: records, tenant: "bench") {
                                case .stored, .duplicate: return
                                case .busy: try await Task.sleep(for: .milliseconds(50))
                                }
                            }
                        }
                        running += 1
                    }
                    if sequence % 1000 == 0 { progress("sent \(sequence) batches") }
                }
            }
            try await group.waitForAll()
        }
        return total
    }

    private static func startNode(directory: URL, data: String, templated: Bool) async throws -> NodeService {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "tributary.bench.storage")
        logger.logLevel = .warning
        var storage = PartitionSettings()
        storage.sealGrace = 0
        storage.retireDelay = 0
        storage.templatedSeals = templated
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let files = try CertificateFiles.write(
            authority.issue(commonName: "bench-storage", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]), name: "bench-storage", to: directory)
        var tls = TLSConfiguration()
        tls.certificateChainFile = files.certificate.path
        tls.privateKeyFile = files.key.path
        let configuration = NodeConfiguration(
            nodeID: "bench-storage", dataDirectory: data, tls: tls,
            credentials: IngestCredentials(tokens: ["bench-token": "bench"]), storage: storage, minFreeBytes: 0)
        return try await NodeService.start(configuration, logger: logger)
    }

    /// Waits until every partition is sealed, then one more maintenance
    /// round (the blocks the seals replaced are deleted).
    private static func settle(_ node: NodeService) async throws {
        let deadline = ContinuousClock.now + .seconds(1800)
        while ContinuousClock.now < deadline {
            if await node.partitions().allSatisfy({ $0.seal != nil }) {
                try await Task.sleep(for: .seconds(3))
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw StorageBenchmarkError.input("partitions did not seal within 30 minutes")
    }

    /// Bytes of `gzip -6 -c file` (the real tool).
    static func gzip6Bytes(of file: URL) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-6", "-c", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var bytes = 0
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            bytes += data.count
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StorageBenchmarkError.input("gzip -6 \(file.path) exited with \(process.terminationStatus)") }
        return bytes
    }
}

public enum StorageBenchmarkError: Error, CustomStringConvertible {
    case input(String)

    public var description: String {
        switch self {
        case .input(let detail): return "storage benchmark: \(detail)"
        }
    }
}
