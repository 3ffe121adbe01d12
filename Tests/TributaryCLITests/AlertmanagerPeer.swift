import Foundation
import TributaryFreePort
import TributaryHTTPClient
import TributaryTestSupport
import TributaryTLS

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on loopback for
/// process tests: no cluster (`--cluster.listen-address=` empty), a
/// temporary storage path, one route to a webhook the test runs, with
/// short group timings so notifications arrive within a second or two.
final class AlertmanagerPeer: Sendable {
    static let executable = URL(fileURLWithPath: "/usr/bin/prometheus-alertmanager")

    let port: Int
    let process: RunningProcess
    let directory: URL

    /// - Parameter tls: certificate and key files: Alertmanager then serves HTTPS only.
    init(webhook: String, tls: (certificate: String, key: String, ca: String)? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("am-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("alertmanager.yml").path
        try """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: \(webhook)
                    send_resolved: true
            """.write(toFile: config, atomically: true, encoding: .utf8)
        port = try FreePort.find()
        var arguments = [
            "--config.file=\(config)", "--storage.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=info",
        ]
        var clientTLS: HTTPGetClient.TLS?
        if let tls {
            let web = directory.appendingPathComponent("web.yml").path
            try "tls_server_config:\n  cert_file: \(tls.certificate)\n  key_file: \(tls.key)\n".write(toFile: web, atomically: true, encoding: .utf8)
            arguments.append("--web.config.file=\(web)")
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = tls.ca
            clientTLS = HTTPGetClient.TLS(context: try TLSContext(configuration: configuration, role: .client))
        }
        process = try RunningProcess(Self.executable, arguments)
        // Generous: early in the whole suite the machine's two cores are saturated.
        let deadline = Date() + 90
        while Date() < deadline {
            var status = 0
            try? HTTPGetClient.get(host: "127.0.0.1", port: port, path: "/-/ready", tls: clientTLS, timeoutSeconds: 2, status: { status = $0 },
                                   body: { _ in })
            if status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.terminate()
        throw AlertmanagerPeerError(description: "Alertmanager did not become ready on 127.0.0.1:\(port): \(process.output)")
    }

    /// The alerts Alertmanager holds (`GET /api/v2/alerts`).
    func alerts() throws -> [[String: Any]] {
        var body: [UInt8] = []
        try HTTPGetClient.get(host: "127.0.0.1", port: port, path: "/api/v2/alerts", timeoutSeconds: 5, status: { _ in }, body: { body += $0 })
        return (try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]]) ?? []
    }

    func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct AlertmanagerPeerError: Error, CustomStringConvertible {
    let description: String
}
