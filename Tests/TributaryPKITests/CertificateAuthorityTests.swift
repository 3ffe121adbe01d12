import Foundation
import Testing
import TributaryPKI

/// Creating, saving and loading the CA; every check on its files.
@Suite struct CertificateAuthorityTests {
    @Test func createsASelfSignedP256CAThatSignsOnlyLeaves() throws {
        let authority = try CertificateAuthority.create(commonName: "Test CA", validityDays: 30)
        #expect(authority.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(authority.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let text = try OpenSSLTool.text(ofCertificatePEM: authority.certificatePEM)
        #expect(text.contains("Issuer: CN = Test CA"))
        #expect(text.contains("Subject: CN = Test CA"))
        #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
        #expect(text.contains("prime256v1") || text.contains("P-256"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"))
        #expect(text.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"))
        #expect(text.contains("X509v3 Subject Key Identifier"))

        // Self-signed and well-formed by OpenSSL's strict rules.
        try TestFiles.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("ca.pem")
            try authority.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
            let result = try OpenSSLTool.verify(file, caFile: file)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test func validityIsTheRequestedNumberOfDays() throws {
        let authority = try CertificateAuthority.create(validityDays: 10)
        try TestFiles.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("ca.pem")
            try authority.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
            #expect(try OpenSSLTool.run("x509", "-in", file.path, "-noout", "-checkend", String(9 * 86400)).status == 0)
            #expect(try OpenSSLTool.run("x509", "-in", file.path, "-noout", "-checkend", String(11 * 86400)).status != 0)
        }
    }

    @Test func refusesANonPositiveValidity() throws {
        #expect(throws: PKIError.self) { try CertificateAuthority.create(validityDays: 0) }
    }

    @Test func roundTripsThroughPEM() throws {
        let authority = try CertificateAuthority.create()
        let loaded = try CertificateAuthority(certificatePEM: authority.certificatePEM, privateKeyPEM: authority.privateKeyPEM)
        #expect(loaded.certificatePEM == authority.certificatePEM)
        #expect(loaded.privateKeyPEM == authority.privateKeyPEM)
    }

    @Test func loadOrCreateMakesTheCAOnceAndReusesIt() throws {
        try TestFiles.withTemporaryDirectory { directory in
            let nested = directory.appendingPathComponent("pki/dev", isDirectory: true)
            let first = try CertificateAuthority.loadOrCreate(directory: nested)
            let second = try CertificateAuthority.loadOrCreate(directory: nested)
            #expect(second.certificatePEM == first.certificatePEM)
            #expect(second.privateKeyPEM == first.privateKeyPEM)

            let certificate = nested.appendingPathComponent("ca.pem")
            let key = nested.appendingPathComponent("ca.key")
            #expect(try String(contentsOf: certificate, encoding: .utf8) == first.certificatePEM)
            #expect(try String(contentsOf: key, encoding: .utf8) == first.privateKeyPEM)
            #expect(try TestFiles.mode(of: key) == 0o600)
            #expect(try TestFiles.mode(of: certificate) == 0o644)
            // No temporary files left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: nested.path).sorted() == ["ca.key", "ca.pem"])
        }
    }

    @Test func aCorruptCertificateFileIsNamedInTheError() throws {
        try TestFiles.withTemporaryDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(directory: directory)
            let certificate = directory.appendingPathComponent("ca.pem")
            try "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"
                .write(to: certificate, atomically: true, encoding: .utf8)
            let error = #expect(throws: PKIError.self) { try CertificateAuthority.loadOrCreate(directory: directory) }
            guard case .invalidPEM(let source, let expected, _) = error else {
                Issue.record("expected invalidPEM, got \(String(describing: error))")
                return
            }
            #expect(source == certificate.path)
            #expect(expected == "certificate")
            #expect(String(describing: error!).contains(certificate.path))
        }
    }

    @Test func aCorruptKeyFileIsNamedInTheError() throws {
        try TestFiles.withTemporaryDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(directory: directory)
            let key = directory.appendingPathComponent("ca.key")
            try "garbage".write(to: key, atomically: true, encoding: .utf8)
            let error = #expect(throws: PKIError.self) { try CertificateAuthority.loadOrCreate(directory: directory) }
            #expect(String(describing: error!).contains(key.path))
        }
    }

    @Test func detectsACertificateAndKeyFromDifferentCAs() throws {
        let one = try CertificateAuthority.create()
        let other = try CertificateAuthority.create()
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority(certificatePEM: one.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
        #expect(error == .keyMismatch(certificate: "the CA certificate text", key: "the CA private key text"))

        try TestFiles.withTemporaryDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(directory: directory)
            let key = directory.appendingPathComponent("ca.key")
            try other.privateKeyPEM.write(to: key, atomically: true, encoding: .utf8)
            #expect(throws: PKIError.keyMismatch(certificate: directory.appendingPathComponent("ca.pem").path, key: key.path)) {
                try CertificateAuthority.loadOrCreate(directory: directory)
            }
        }
    }

    @Test func refusesAnEncryptedKeyWithoutPromptingForAPassphrase() throws {
        let authority = try CertificateAuthority.create()
        let leaf = try authority.issue(commonName: "node-a", dnsNames: ["node-a"], ipAddresses: [])
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority(
                certificatePEM: authority.certificatePEM,
                privateKeyPEM: leaf.encryptedPrivateKeyPEM(passphrase: "secret"))
        }
        guard case .invalidPEM(let source, let expected, _) = error else {
            Issue.record("expected invalidPEM, got \(String(describing: error))")
            return
        }
        #expect(source == "the CA private key text")
        #expect(expected == "unencrypted private key")
    }

        @Test func refusesALeafCertificateAsTheCA() throws {
        let authority = try CertificateAuthority.create()
        let leaf = try authority.issue(commonName: "node-a", dnsNames: ["node-a"], ipAddresses: [])
        #expect(throws: PKIError.notACertificateAuthority(source: "the CA certificate text")) {
            try CertificateAuthority(certificatePEM: leaf.certificatePEM, privateKeyPEM: leaf.privateKeyPEM)
        }
    }

    @Test func refusesToReplaceHalfACA() throws {
        try TestFiles.withTemporaryDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(directory: directory)
            let certificate = directory.appendingPathComponent("ca.pem")
            let key = directory.appendingPathComponent("ca.key")

            try FileManager.default.removeItem(at: key)
            let error = #expect(throws: PKIError.incompleteAuthority(present: certificate.path, missing: key.path)) {
                try CertificateAuthority.loadOrCreate(directory: directory)
            }
            #expect(String(describing: error!).contains("\(key.path) is missing"))
            #expect(FileManager.default.fileExists(atPath: certificate.path), "the certificate is left alone")

            try FileManager.default.removeItem(at: certificate)
            try "key".write(to: key, atomically: true, encoding: .utf8)
            #expect(throws: PKIError.incompleteAuthority(present: key.path, missing: certificate.path)) {
                try CertificateAuthority.loadOrCreate(directory: directory)
            }
        }
    }

    @Test func anUnreadableFileIsNamedInTheError() throws {
        try TestFiles.withTemporaryDirectory { directory in
            let certificate = directory.appendingPathComponent("ca.pem")
            try FileManager.default.createDirectory(at: certificate, withIntermediateDirectories: false)
            try "key".write(to: directory.appendingPathComponent("ca.key"), atomically: true, encoding: .utf8)
            #expect(throws: PKIError.unreadableFile(path: certificate.path, reason: "not a regular file")) {
                try CertificateAuthority.loadOrCreate(directory: directory)
            }
        }
    }

    @Test func everyErrorNamesWhatWasWrongAndWhatToDo() {
        let errors: [(PKIError, wrong: String, todo: String)] = [
            (.unreadableFile(path: "/x/ca.pem", reason: "Permission denied"), "/x/ca.pem: Permission denied", "check"),
            (.unwritableFile(path: "/x/ca.pem", reason: "Read-only file system"), "/x/ca.pem: Read-only", "check"),
            (.invalidPEM(source: "/x/ca.pem", expected: "certificate", openSSLErrors: "no start line"), "no start line", "restore"),
            (.keyMismatch(certificate: "/x/ca.pem", key: "/x/ca.key"), "/x/ca.key", "remove both"),
            (.notACertificateAuthority(source: "/x/n.pem"), "/x/n.pem is not a CA", "use the ca.pem"),
            (.incompleteAuthority(present: "/x/ca.pem", missing: "/x/ca.key"), "/x/ca.key is missing", "restore"),
            (.invalidIPAddress("1.2.3"), "\"1.2.3\"", "write it like"),
            (.invalidDNSName("a b"), "\"a b\"", "use letters"),
            (.invalidName("a/b"), "\"a/b\"", "use a non-empty name"),
            (.emptyPassphrase, "empty", "choose"),
            (.openSSL(operation: "sign the certificate", openSSLErrors: "error:1"), "sign the certificate: error:1", "report"),
        ]
        for (error, wrong, todo) in errors {
            #expect(error.description.contains(wrong), "\(error)")
            #expect(error.description.contains(todo), "\(error)")
        }
    }
}
