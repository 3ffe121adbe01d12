import Foundation
import Testing
import TributaryPKI

/// Where certificates and keys land, and who may read them.
@Suite struct CertificateFilesTests {
    static func issued() throws -> IssuedCertificate {
        try CertificateAuthority.create().issue(commonName: "node-a", dnsNames: ["node-a"], ipAddresses: ["127.0.0.1"])
    }

    @Test func writesTheCertificateWorldReadableAndTheKeyOwnerOnly() throws {
        let issued = try Self.issued()
        try TestFiles.withTemporaryDirectory { directory in
            let files = try CertificateFiles.write(issued, name: "node-a", to: directory)
            #expect(files.certificate == directory.appendingPathComponent("node-a.pem"))
            #expect(files.key == directory.appendingPathComponent("node-a.key"))
            #expect(try String(contentsOf: files.certificate, encoding: .utf8) == issued.certificatePEM)
            #expect(try String(contentsOf: files.key, encoding: .utf8) == issued.privateKeyPEM)
            #expect(try TestFiles.mode(of: files.certificate) == 0o644)
            #expect(try TestFiles.mode(of: files.key) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["node-a.key", "node-a.pem"])
        }
    }

    @Test func replacingAWorldReadableKeyLeavesItOwnerOnly() throws {
        let issued = try Self.issued()
        try TestFiles.withTemporaryDirectory { directory in
            let key = directory.appendingPathComponent("node-a.key")
            #expect(FileManager.default.createFile(atPath: key.path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o666]))
            try CertificateFiles.write(issued, name: "node-a", to: directory)
            #expect(try TestFiles.mode(of: key) == 0o600)
            #expect(try String(contentsOf: key, encoding: .utf8) == issued.privateKeyPEM)
        }
    }

    @Test(arguments: ["", "a/b", "/etc/passwd", "..", ".", "ca"])
    func refusesANameThatIsNotAPlainFileName(_ name: String) throws {
        let issued = try Self.issued()
        try TestFiles.withTemporaryDirectory { directory in
            #expect(throws: PKIError.invalidName(name)) { try CertificateFiles.write(issued, name: name, to: directory) }
            let contents = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(contents.isEmpty)
        }
    }

    @Test func aMissingDirectoryIsNamedInTheError() throws {
        let issued = try Self.issued()
        try TestFiles.withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("nope")
            let error = #expect(throws: PKIError.self) { try CertificateFiles.write(issued, name: "node-a", to: missing) }
            #expect(String(describing: error!).contains(missing.appendingPathComponent("node-a.key").path))
        }
    }
}
