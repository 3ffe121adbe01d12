import Foundation
import TributaryFreePort
import TributaryHTTPClient

/// Debian's `victoria-metrics` single-node server as the reference of
/// `trib bench push`: started on a free loopback port with its data in a
/// temporary directory, stopped (and its data removed) by `stop()`.
final class VictoriaMetricsReference {
    let port: Int
    private let process: Process
    private let directory: URL

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    init(executable: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Unavailable(description: "\(executable) not found: install Debian's victoria-metrics package (apt-get install victoria-metrics) or pass --victoria-metrics")
        }
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-vm-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-httpListenAddr=127.0.0.1:\(port)", "-storageDataPath=\(directory.path)", "-retentionPeriod=10y", "-loggerLevel=ERROR"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if (try? get("/health").0) == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw Unavailable(description: "victoria-metrics did not answer /health on 127.0.0.1:\(port) within 10 s")
    }

    /// Makes recent samples searchable (they sit in memory for a second or so).
    func flush() throws {
        _ = try get("/internal/force_flush")
    }

    /// The single value of an instant query, if any.
    func value(_ query: String) throws -> Double? {
        let (_, body) = try get("/api/v1/query?query=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        return PushBenchmark.instantValue(body)
    }

    func get(_ path: String) throws -> (Int, String) {
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: "127.0.0.1", port: port, path: path, timeoutSeconds: 60, status: { status = $0 }, body: { body += $0 })
        return (status, String(decoding: body, as: UTF8.self))
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
