import Foundation
import Testing
import TributaryTestSupport

/// The node's HTTP API over TLS, checked with real clients (`curl`,
/// `openssl s_client`) against a real `trib node` process.
@Suite struct NodeHTTPSTests {
    static let curl = ProcessResult.which("curl")
    static let openssl = ProcessResult.which("openssl")

    /// `curl -s` with `arguments`; returns its result with the status code
    /// (`-w`) as the last line of stdout.
    static func curl(_ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(try #require(curl), ["-sS", "--max-time", "20", "-w", "\n%{http_code}"] + arguments)
    }

    static func code(_ result: ProcessResult) -> Int {
        Int(result.stdout.split(separator: "\n").last ?? "") ?? -1
    }

    @Test(.enabled(if: curl != nil && openssl != nil))
    func httpsWorksWithTheCAAndPlainHTTPIsRefusedCleanly() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        #expect(node.output.contains { $0.contains("HTTP API on https://127.0.0.1:\(http)") }, "\(node.output)")
        let url = "https://127.0.0.1:\(http)"

        let ok = try Self.curl(["--cacert", setup.pki.caFile, "-H", "Authorization: Bearer token-for-acme", url + "/api/v1/partitions"])
        #expect(ok.status == 0 && Self.code(ok) == 200, "\(ok.stdout) \(ok.stderr)")
        #expect(ok.stdout.hasPrefix(#"{"status":"success""#), "\(ok.stdout)")

        // Basic auth as Grafana or Promtail send it: the tenant and a token.
        let basic = try Self.curl(["--cacert", setup.pki.caFile, "-u", "acme:token-for-acme", url + "/api/v1/partitions"])
        #expect(Self.code(basic) == 200, "\(basic.stdout)")
        let wrongUser = try Self.curl(["--cacert", setup.pki.caFile, "-u", "globex:token-for-acme", url + "/api/v1/partitions"])
        #expect(Self.code(wrongUser) == 401 && wrongUser.stdout.contains(#""errorType":"unauthorized""#), "\(wrongUser.stdout)")

        // Without the CA, curl refuses the node's certificate (exit 60).
        let untrusted = try Self.curl([url + "/healthz"])
        #expect(untrusted.status == 60, "\(untrusted.stderr)")

        // Plain HTTP to the TLS port: a readable 400 that says what to do.
        let plain = try Self.curl(["http://127.0.0.1:\(http)/healthz"])
        #expect(Self.code(plain) == 400, "\(plain.stdout) \(plain.stderr)")
        #expect(plain.stdout.contains("use https://"), "\(plain.stdout)")

        // openssl s_client verifies the chain and the IP address.
        let handshake = try ProcessResult.run(try #require(Self.openssl), [
            "s_client", "-connect", "127.0.0.1:\(http)", "-CAfile", setup.pki.caFile, "-verify_ip", "127.0.0.1",
            "-verify_return_error", "-brief",
        ], timeout: 20)
        #expect(handshake.status == 0, "\(handshake.stdout) \(handshake.stderr)")
        #expect((handshake.stdout + handshake.stderr).contains("Verification: OK"), "\(handshake.stderr)")
        #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).body == "ok\n", "our own client speaks HTTPS too")
    }

    /// The PEM of the certificate the HTTPS port presents.
    static func servedCertificate(port: Int, ca: String) throws -> String {
        let result = try ProcessResult.run(try #require(openssl), ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca], timeout: 20)
        let text = result.stdout
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"), let end = text.range(of: "-----END CERTIFICATE-----") else { return "" }
        return String(text[begin.lowerBound..<end.upperBound])
    }

    @Test(.enabled(if: openssl != nil))
    func aRenewedCertificateIsServedAfterSIGHUP() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let file = setup.directory.appendingPathComponent("node-a.pem").path
        let first = try Self.servedCertificate(port: http, ca: setup.pki.caFile)
        let original = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!first.isEmpty && original.contains(first))
        try setup.pki.issue("node-a")
        node.signal(SIGHUP)
        _ = try await node.waitForLine { $0.contains("TLS files reloaded") || $0.contains("TLS certificate files changed") }
        let renewed = try Self.servedCertificate(port: http, ca: setup.pki.caFile)
        #expect(renewed != first, "new connections get the renewed certificate")
        let current = try String(contentsOfFile: file, encoding: .utf8)
        #expect(current.contains(renewed))
    }

    @Test(.enabled(if: curl != nil))
    func aRequiredClientCertificateIsVerifiedAndMapsToItsTenant() async throws {
        let setup = try NodeSetup(tlsExtra: "  ca: ca.pem\n  require_client_certificate: true", tenants: """
              - name: acme
                tokens: ["${TRIB_TEST_TOKEN}"]
                certificate_names: [{name: grafana-1, roles: [query]}]
            """)
        let grafana = try setup.pki.issue("grafana-1")
        let stranger = try TestCertificates.foreign().issue("grafana-1")
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let url = "https://127.0.0.1:\(http)"

        let without = try Self.curl(["--cacert", setup.pki.caFile, url + "/healthz"])
        #expect(without.status != 0, "no client certificate: the handshake fails (\(without.stdout))")

        let foreign = try Self.curl(["--cacert", setup.pki.caFile, "--cert", stranger.certificate, "--key", stranger.key, url + "/healthz"])
        #expect(foreign.status != 0, "a certificate from another CA is refused (\(foreign.stdout))")

        let withCertificate = ["--cacert", setup.pki.caFile, "--cert", grafana.certificate, "--key", grafana.key]
        let partitions = try Self.curl(withCertificate + [url + "/api/v1/partitions"])
        #expect(Self.code(partitions) == 200, "the certificate is a query credential of acme: \(partitions.stdout) \(partitions.stderr)")
        let cluster = try Self.curl(withCertificate + [url + "/api/v1/cluster"])
        #expect(Self.code(cluster) == 403, "\(cluster.stdout)")
        #expect(cluster.stdout.contains("needs the admin role") && cluster.stdout.contains("client certificate of tenant acme"), "\(cluster.stdout)")
    }

    @Test(.enabled(if: curl != nil))
    func insecureServesPlainHTTPWithAWarning() async throws {
        let setup = try NodeSetup()
        let config = """
            node_id: node-a
            listen: 127.0.0.1:0
            http_listen: 127.0.0.1:0
            data_dir: data
            insecure: true
            tenants: [{name: acme, tokens: ["${TRIB_TEST_TOKEN}"]}]
            """
        try config.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        let node = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", setup.configFile])
        defer { node.terminate() }
        let http = try await NodeHTTP.waitForAPI(node, ca: nil)
        #expect(node.output.contains { $0.contains("HTTP API on http://127.0.0.1:\(http) (plain HTTP, insecure") }, "\(node.output)")
        _ = try await node.waitForLine { $0.contains("the HTTP API is plain HTTP") }
        let answer = try Self.curl(["-H", "Authorization: Bearer token-for-acme", "http://127.0.0.1:\(http)/api/v1/partitions"])
        #expect(Self.code(answer) == 200, "\(answer.stdout)")
        #expect(Self.code(try Self.curl(["http://127.0.0.1:\(http)/api/v1/partitions"])) == 401, "insecure still needs credentials")
    }

    @Test func aNodeWithoutTLSOrInsecureIsAConfigurationError() throws {
        let setup = try NodeSetup()
        try """
            node_id: node-a
            data_dir: data
            tenants: [{name: acme, tokens: ["${TRIB_TEST_TOKEN}"]}]
            """.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        let checked = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", setup.configFile])
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("tls: is required") && checked.stderr.contains("insecure: true"), "\(checked.stderr)")
    }
}
