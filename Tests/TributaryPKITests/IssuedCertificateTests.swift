import Foundation
import Testing
import TributaryPKI

/// Certificates issued by the CA, judged by the `openssl` command-line tool.
@Suite struct IssuedCertificateTests {
    /// A CA in a temporary directory and one certificate issued by it, written
    /// as NAME.pem / NAME.key.
    struct Issued {
        let directory: URL
        let caFile: URL
        let certificate: URL
        let key: URL
        let issued: IssuedCertificate
    }

    static func withIssued(
        name: String = "node-a",
        ipAddresses: [String] = ["127.0.0.1"],
        notBefore: Date = Date() - 3600,
        notAfter: Date = Date() + 86400,
        keyType: KeyType = .ecdsaP256,
        _ body: (Issued) throws -> Void
    ) throws {
        try TestFiles.withTemporaryDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(directory: directory)
            let issued = try authority.issue(
                commonName: name, dnsNames: [name, "localhost"], ipAddresses: ipAddresses,
                notBefore: notBefore, notAfter: notAfter, keyType: keyType)
            let files = try CertificateFiles.write(issued, name: name, to: directory)
            try body(Issued(
                directory: directory, caFile: directory.appendingPathComponent("ca.pem"),
                certificate: files.certificate, key: files.key, issued: issued))
        }
    }

    @Test func verifiesAgainstTheCAForServersAndClients() throws {
        try Self.withIssued { issued in
            for purpose in [nil, "sslserver", "sslclient"] {
                let result = try OpenSSLTool.verify(issued.certificate, caFile: issued.caFile, purpose: purpose)
                #expect(result.status == 0, "\(purpose ?? "any"): \(result.stdout)\(result.stderr)")
                #expect(result.stdout.contains("node-a.pem: OK"))
            }
        }
    }

    @Test func doesNotVerifyAgainstAnotherCA() throws {
        try Self.withIssued { issued in
            try TestFiles.withTemporaryDirectory { other in
                _ = try CertificateAuthority.loadOrCreate(directory: other)
                let result = try OpenSSLTool.verify(issued.certificate, caFile: other.appendingPathComponent("ca.pem"))
                #expect(result.status != 0)
            }
        }
    }

    @Test func carriesTheNamesAndLeafExtensions() throws {
        try Self.withIssued(ipAddresses: ["127.0.0.1", "::1", "2001:db8::5", "10.1.2.3"]) { issued in
            let text = try OpenSSLTool.text(ofCertificate: issued.certificate)
            #expect(text.contains("Subject: CN = node-a"))
            #expect(text.contains("Issuer: CN = Tributary development CA"))
            #expect(text.contains("DNS:node-a, DNS:localhost, IP Address:127.0.0.1, "))
            // OpenSSL 3.0 prints IPv6 in full, later versions compressed.
            #expect(text.contains("IP Address:0:0:0:0:0:0:0:1") || text.contains("IP Address:::1"))
            #expect(text.contains("IP Address:2001:DB8:0:0:0:0:0:5") || text.contains("IP Address:2001:db8::5"))
            #expect(text.contains("IP Address:10.1.2.3"))
            #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
            #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
            #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
            #expect(text.contains("X509v3 Subject Key Identifier"))
            #expect(text.contains("X509v3 Authority Key Identifier"))
            #expect(text.contains("prime256v1") || text.contains("P-256"))
            #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
            #expect(issued.issued.dnsNames == ["node-a", "localhost"])
        }
    }

    @Test func theAuthorityKeyIdentifierIsTheCAsSubjectKeyIdentifier() throws {
        try Self.withIssued { issued in
            let leaf = try OpenSSLTool.text(ofCertificate: issued.certificate)
            let authority = try OpenSSLTool.text(ofCertificate: issued.caFile)
            let caKeyID = try #require(Self.value(after: "X509v3 Subject Key Identifier:", in: authority))
            #expect(Self.value(after: "X509v3 Authority Key Identifier:", in: leaf)?.contains(caKeyID) == true)
        }
    }

    @Test func serialNumbersAreRandomPositive127BitIntegers() throws {
        let authority = try CertificateAuthority.create()
        var serials = Set<String>()
        for _ in 0..<8 {
            let issued = try authority.issue(commonName: "n", dnsNames: ["n"], ipAddresses: [])
            let serial = try TestFiles.withTemporaryDirectory { directory in
                let file = directory.appendingPathComponent("n.pem")
                try issued.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
                return try OpenSSLTool.run("x509", "-in", file.path, "-noout", "-serial").stdout
            }
            let hex = serial.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
            // At most 127 bits: 32 hex digits with a top digit below 8.
            #expect(hex.count <= 32 && (hex.count < 32 || hex.first.map { "01234567".contains($0) } == true), "\(hex)")
            #expect(hex != "00")
            serials.insert(hex)
        }
        #expect(serials.count == 8)
    }

    @Test func issuesRSAKeysWithKeyEncipherment() throws {
        try Self.withIssued(keyType: .rsa2048) { issued in
            let text = try OpenSSLTool.text(ofCertificate: issued.certificate)
            #expect(text.contains("rsaEncryption"))
            #expect(text.contains("Public-Key: (2048 bit)"))
            #expect(text.contains("Digital Signature, Key Encipherment"))
            // Still signed by the ECDSA CA.
            #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
            let verified = try OpenSSLTool.verify(issued.certificate, caFile: issued.caFile, purpose: "sslserver")
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            let key = try OpenSSLTool.run("pkey", "-in", issued.key.path, "-noout", "-text")
            #expect(key.status == 0, "\(key.stderr)")
            #expect(key.stdout.contains("Private-Key: (2048 bit"))
        }
    }

    @Test func theKeyMatchesTheCertificate() throws {
        try Self.withIssued { issued in
            let fromCertificate = try OpenSSLTool.run("x509", "-in", issued.certificate.path, "-noout", "-pubkey")
            let fromKey = try OpenSSLTool.run("pkey", "-in", issued.key.path, "-pubout")
            #expect(fromCertificate.status == 0 && fromKey.status == 0)
            #expect(fromCertificate.stdout == fromKey.stdout)
            #expect(issued.issued.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }
    }

    @Test func anExpiredCertificateFailsVerification() throws {
        try Self.withIssued(notBefore: Date() - 10 * 86400, notAfter: Date() - 86400) { issued in
            let result = try OpenSSLTool.verify(issued.certificate, caFile: issued.caFile)
            #expect(result.status != 0)
            #expect((result.stdout + result.stderr).contains("certificate has expired"))
        }
    }

    @Test func aNotYetValidCertificateFailsVerification() throws {
        try Self.withIssued(notBefore: Date() + 86400, notAfter: Date() + 10 * 86400) { issued in
            let result = try OpenSSLTool.verify(issued.certificate, caFile: issued.caFile)
            #expect(result.status != 0)
            #expect((result.stdout + result.stderr).contains("certificate is not yet valid"))
        }
    }

    @Test func theEncryptedKeyOpensOnlyWithItsPassphrase() throws {
        try Self.withIssued { issued in
            let encrypted = try issued.issued.encryptedPrivateKeyPEM(passphrase: "correct horse")
            #expect(encrypted.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            let file = issued.directory.appendingPathComponent("node-a.encrypted.key")
            try encrypted.write(to: file, atomically: true, encoding: .utf8)

            let opened = try OpenSSLTool.run("pkey", "-in", file.path, "-passin", "pass:correct horse")
            #expect(opened.status == 0, "\(opened.stderr)")
            #expect(opened.stdout == issued.issued.privateKeyPEM)

            let wrong = try OpenSSLTool.run("pkey", "-in", file.path, "-passin", "pass:wrong", "-noout")
            #expect(wrong.status != 0)

            let structure = try OpenSSLTool.run("asn1parse", "-in", file.path)
            #expect(structure.stdout.contains("aes-256-cbc"))
        }
    }

    @Test func refusesAnEmptyPassphrase() throws {
        let issued = try CertificateAuthority.create().issue(commonName: "n", dnsNames: ["n"], ipAddresses: [])
        #expect(throws: PKIError.emptyPassphrase) { try issued.encryptedPrivateKeyPEM(passphrase: "") }
    }

    @Test(arguments: ["1.2.3", "256.0.0.1", "127.0.0.1:80", "[::1]", "fe80::1%eth0", "localhost", "", " 10.0.0.1"])
    func refusesAnInvalidIPAddress(_ address: String) throws {
        let authority = try CertificateAuthority.create()
        #expect(throws: PKIError.invalidIPAddress(address)) {
            try authority.issue(commonName: "n", dnsNames: ["n"], ipAddresses: [address])
        }
    }

    @Test(arguments: ["", "node a", "node,a", "nöde", "a/b"])
    func refusesAnInvalidDNSName(_ name: String) throws {
        let authority = try CertificateAuthority.create()
        #expect(throws: PKIError.invalidDNSName(name)) {
            try authority.issue(commonName: "n", dnsNames: [name], ipAddresses: [])
        }
    }

    @Test func refusesAValidityThatEndsBeforeItStarts() throws {
        let authority = try CertificateAuthority.create()
        #expect(throws: PKIError.self) {
            try authority.issue(
                commonName: "n", dnsNames: ["n"], ipAddresses: [], notBefore: Date(), notAfter: Date() - 60)
        }
        #expect(throws: PKIError.self) {
            try authority.issue(
                commonName: "n", dnsNames: ["n"], ipAddresses: [], notAfter: Date(timeIntervalSince1970: 1e15))
        }
    }

    @Test func aCommonNameOpenSSLRefusesIsAnErrorNotACrash() throws {
        let authority = try CertificateAuthority.create()
        let error = #expect(throws: PKIError.self) {
            try authority.issue(commonName: String(repeating: "x", count: 65), dnsNames: ["n"], ipAddresses: [])
        }
        guard case .openSSL(let operation, let queue) = error else {
            Issue.record("expected an OpenSSL error, got \(String(describing: error))")
            return
        }
        #expect(operation.contains("common name"))
        #expect(queue.contains("string too long"), "\(queue)")
    }

    /// The line after `heading` in `openssl x509 -text` output.
    static func value(after heading: String, in text: String) -> String? {
        let lines = text.split(separator: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(heading) }), index + 1 < lines.count else { return nil }
        return lines[index + 1].trimmingCharacters(in: .whitespaces)
    }
}
