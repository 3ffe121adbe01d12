import Foundation
import Testing
import TributaryPKI
import TributaryTestSupport
import TributaryTLS

/// Mistakes an operator makes in TLS files, each reported with the file and
/// what to do.
@Suite struct TLSConfigurationErrorTests {
    static func server(_ certificate: String, _ key: String) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.certificateChainFile = certificate
        configuration.privateKeyFile = key
        return configuration
    }

    @Test func aMissingFileIsNamed() throws {
        let pki = try TestCertificates()
        let files = try pki.issue("node-a")
        #expect(throws: TLSError.unreadableFile(path: "/nonexistent/node.pem", purpose: "certificate chain", reason: "no such file")) {
            try TLSContext(configuration: Self.server("/nonexistent/node.pem", files.key), role: .server)
        }
        #expect(throws: TLSError.unreadableFile(path: pki.directory.path, purpose: "private key", reason: "it is a directory")) {
            try TLSContext(configuration: Self.server(files.certificate, pki.directory.path), role: .server)
        }
        var client = TLSConfiguration()
        client.trustedCAFile = "/nonexistent/ca.pem"
        #expect(throws: TLSError.unreadableFile(path: "/nonexistent/ca.pem", purpose: "CA bundle", reason: "no such file")) {
            try TLSContext(configuration: client, role: .client)
        }
    }

    @Test func aFileThatIsNotPEMIsNamed() throws {
        let pki = try TestCertificates()
        let files = try pki.issue("node-a")
        let garbage = pki.directory.appendingPathComponent("garbage.pem").path
        try "this is not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        do {
            _ = try TLSContext(configuration: Self.server(garbage, files.key), role: .server)
            Issue.record("garbage accepted")
        } catch {
            guard case .invalidPEM(let path, "certificate chain", _) = error else {
                Issue.record("expected invalidPEM, got \(error)")
                return
            }
            #expect(path == garbage)
        }
    }

    @Test func aKeyFromAnotherCertificateIsRefused() throws {
        let pki = try TestCertificates()
        let a = try pki.issue("node-a")
        let b = try pki.issue("node-b")
        #expect(throws: TLSError.keyDoesNotMatchCertificate(certificate: a.certificate, key: b.key)) {
            try TLSContext(configuration: Self.server(a.certificate, b.key), role: .server)
        }
    }

    @Test func anEncryptedKeyNeedsTheRightPassphrase() throws {
        let pki = try TestCertificates()
        let issued = try pki.authority.issue(commonName: "node-e", dnsNames: ["node-e"], ipAddresses: [])
        let certificate = pki.directory.appendingPathComponent("node-e.pem").path
        let key = pki.directory.appendingPathComponent("node-e.key").path
        let passphraseFile = pki.directory.appendingPathComponent("passphrase").path
        try issued.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try issued.encryptedPrivateKeyPEM(passphrase: "correct horse").write(toFile: key, atomically: true, encoding: .utf8)

        var configuration = Self.server(certificate, key)
        #expect(throws: TLSError.wrongPassphrase(path: key)) { try TLSContext(configuration: configuration, role: .server) }
        try "wrong\n".write(toFile: passphraseFile, atomically: true, encoding: .utf8)
        configuration.privateKeyPassphraseFile = passphraseFile
        #expect(throws: TLSError.wrongPassphrase(path: key)) { try TLSContext(configuration: configuration, role: .server) }
        try "correct horse\n".write(toFile: passphraseFile, atomically: true, encoding: .utf8)
        let context = try TLSContext(configuration: configuration, role: .server)
        #expect(context.localIdentity?.commonName == "node-e")
    }

    /// A wrong passphrase passes the cipher's padding check about once in
    /// 256 tries and then fails as a malformed key; every try must still
    /// say "wrong passphrase" (one full-suite run said "does not hold a PEM
    /// private key"). 400 wrong passphrases miss that case less than once in
    /// four runs.
    @Test func everyWrongPassphraseIsReportedAsSuch() async throws {
        let pki = try TestCertificates()
        let issued = try pki.authority.issue(commonName: "node-w", dnsNames: ["node-w"], ipAddresses: [])
        let certificate = pki.directory.appendingPathComponent("node-w.pem").path
        let key = pki.directory.appendingPathComponent("node-w.key").path
        try issued.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try issued.encryptedPrivateKeyPEM(passphrase: "correct horse").write(toFile: key, atomically: true, encoding: .utf8)
        let directory = pki.directory
        let failures = try await OwnThread.run { () throws -> [String] in
            var failures: [String] = []
            for attempt in 0..<400 {
                let passphraseFile = directory.appendingPathComponent("wrong-\(attempt)").path
                try "wrong \(attempt)\n".write(toFile: passphraseFile, atomically: true, encoding: .utf8)
                var configuration = Self.server(certificate, key)
                configuration.privateKeyPassphraseFile = passphraseFile
                do {
                    _ = try TLSContext(configuration: configuration, role: .server)
                    failures.append("attempt \(attempt): accepted")
                } catch {
                    if (error as? TLSError) != .wrongPassphrase(path: key) { failures.append("attempt \(attempt): \(error)") }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func ourOwnExpiredCertificateIsRefusedAtLoadWithItsDate() throws {
        let pki = try TestCertificates()
        let files = try pki.issue("old", notBefore: Date() - 86400 * 100, notAfter: Date() - 86400)
        do {
            _ = try TLSContext(configuration: Self.server(files.certificate, files.key), role: .server)
            Issue.record("expired certificate accepted")
        } catch {
            guard case .certificateExpired(.local, "CN=old", _) = error else {
                Issue.record("expected certificateExpired(local), got \(error)")
                return
            }
            #expect(error.description.hasPrefix("our certificate CN=old expired on"))
        }
    }

    @Test func incompleteConfigurationsAreExplained() throws {
        #expect(throws: TLSError.invalidConfiguration("a TLS server needs a certificate chain and a private key")) {
            try TLSContext(configuration: TLSConfiguration(), role: .server)
        }
        var configuration = TLSConfiguration()
        configuration.pinnedPublicKeys = ["not-a-pin"]
        #expect(throws: TLSError.self) { try TLSContext(configuration: configuration, role: .client) }
        configuration = TLSConfiguration()
        configuration.groups = "P-1024"
        #expect(throws: TLSError.self) { try TLSContext(configuration: configuration, role: .client) }
        #expect(throws: TLSError.invalidConfiguration("a verifying TLS client needs the server's host name or IP address")) {
            try TLSHandler(context: TLSContext(configuration: TLSConfiguration(), role: .client))
        }
    }
}
