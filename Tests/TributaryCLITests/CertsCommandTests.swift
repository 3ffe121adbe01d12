import Foundation
import Testing
import TributaryTestSupport

/// `trib certs` as an operator runs it, judged by the `openssl` tool.
@Suite struct CertsCommandTests {
    static func withOutputDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trib-certs-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func trib(_ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(RepositoryPaths.tribExecutable, arguments)
    }

    static func openssl(_ arguments: String...) throws -> ProcessResult {
        let openssl = try #require(ProcessResult.which("openssl"), "openssl is required: apt-get install openssl")
        return try ProcessResult.run(openssl, arguments)
    }

    static func mode(of url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func extraDNSNamesNameEachCertificate() throws {
        try Self.withOutputDirectory { out in
            let issued = try Self.trib(["certs", "--out", out.path, "--dns", "{name}.trib-node.tributary.svc", "--dns", "nodes.example",
                                        "trib-node-0", "trib-node-1"])
            #expect(issued.status == 0, "\(issued.stderr)")
            let text = try Self.openssl("x509", "-in", out.appendingPathComponent("trib-node-1.pem").path, "-noout", "-ext", "subjectAltName")
            #expect(text.stdout.contains("DNS:trib-node-1, DNS:localhost, DNS:trib-node-1.trib-node.tributary.svc, DNS:nodes.example"), "\(text.stdout)")
        }
    }

    @Test func issuesCertificatesThatVerifyAndKeepsTheCAOnTheSecondRun() throws {
        try Self.withOutputDirectory { out in
            let arguments = ["certs", "--out", out.path, "node-a", "agent-1", "--ip", "127.0.0.1"]
            let first = try Self.trib(arguments)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("CA created: \(out.path)/ca.pem"))
            #expect(first.stdout.contains("\(out.path)/node-a.pem"))
            #expect(first.stdout.contains("DNS:node-a, DNS:localhost, IP:127.0.0.1"))
            #expect(!first.stdout.contains("::1"), "--ip replaces the default addresses")
            #expect(first.stdout.contains("expires "))

            let caFile = out.appendingPathComponent("ca.pem")
            let ca = try String(contentsOf: caFile, encoding: .utf8)
            for name in ["node-a", "agent-1"] {
                let certificate = out.appendingPathComponent("\(name).pem")
                let verified = try Self.openssl("verify", "-CAfile", caFile.path, certificate.path)
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("\(name).pem: OK"))
                let text = try Self.openssl("x509", "-in", certificate.path, "-noout", "-ext", "subjectAltName")
                #expect(text.stdout.contains("DNS:\(name), DNS:localhost, IP Address:127.0.0.1"))
                #expect(try Self.mode(of: out.appendingPathComponent("\(name).key")) == 0o600)
                #expect(try Self.mode(of: certificate) == 0o644)
            }
            #expect(try Self.mode(of: out.appendingPathComponent("ca.key")) == 0o600)
            let nodeA = try String(contentsOf: out.appendingPathComponent("node-a.pem"), encoding: .utf8)

            let second = try Self.trib(arguments)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.contains("CA reused"))
            #expect(try String(contentsOf: caFile, encoding: .utf8) == ca)
            #expect(try String(contentsOf: out.appendingPathComponent("node-a.pem"), encoding: .utf8) != nodeA, "reissued")
            let verified = try Self.openssl("verify", "-CAfile", caFile.path, out.appendingPathComponent("node-a.pem").path)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }

    @Test func defaultsToLoopbackAddressesAndCanIssueRSA() throws {
        try Self.withOutputDirectory { out in
            let result = try Self.trib(["certs", "--out", out.path, "--key-type", "rsa-2048", "--days", "2", "node-b"])
            #expect(result.status == 0, "\(result.stderr)")
            let certificate = out.appendingPathComponent("node-b.pem").path
            let text = try Self.openssl("x509", "-in", certificate, "-noout", "-text")
            #expect(text.stdout.contains("IP Address:127.0.0.1"))
            #expect(text.stdout.contains("IP Address:0:0:0:0:0:0:0:1") || text.stdout.contains("IP Address:::1"))
            #expect(text.stdout.contains("rsaEncryption"))
            #expect(try Self.openssl("x509", "-in", certificate, "-noout", "-checkend", String(86400)).status == 0)
            #expect(try Self.openssl("x509", "-in", certificate, "-noout", "-checkend", String(3 * 86400)).status != 0)
        }
    }

    @Test func helpExplainsTheDefaults() throws {
        let result = try Self.trib(["certs", "--help"])
        #expect(result.status == 0)
        // Help is wrapped to the terminal's width; compare words, not lines.
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Create a development CA and issue certificates for nodes and agents"))
        #expect(help.contains("127.0.0.1 and ::1 when no --ip is given"))
        #expect(help.contains("ecdsa-p256, rsa-2048"))
        #expect(help.contains("For development and testing only"))
        let top = try Self.trib(["--help"])
        #expect(top.stdout.contains("certs"))
    }

    @Test func explainsABadAddressAndWritesNoCertificate() throws {
        try Self.withOutputDirectory { out in
            let result = try Self.trib(["certs", "--out", out.path, "node-a", "--ip", "127.0.0.1:9000"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("\"127.0.0.1:9000\" is not an IPv4 or IPv6 address"))
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("node-a.pem").path))
        }
    }

    @Test(arguments: [["certs", "--out", "/tmp/x"], ["certs", "--out", "/tmp/x", "ca"], ["certs", "--out", "/tmp/x", "a/b"],
                      ["certs", "--out", "/tmp/x", "--days", "0", "n"], ["certs", "--out", "/tmp/x", "--key-type", "dsa", "n"]])
    func refusesBadArgumentsBeforeTouchingTheDisk(_ arguments: [String]) throws {
        let result = try Self.trib(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("Error:"))
    }

    @Test func explainsAHalfMissingCA() throws {
        try Self.withOutputDirectory { out in
            #expect(try Self.trib(["certs", "--out", out.path, "node-a"]).status == 0)
            try FileManager.default.removeItem(at: out.appendingPathComponent("ca.key"))
            let result = try Self.trib(["certs", "--out", out.path, "node-a"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("\(out.path)/ca.key is missing"))
        }
    }
}
