import Foundation
import TributaryPKI

/// A throwaway PKI in a temporary directory for TLS tests: a CA, and
/// certificates issued by it written as PEM files.
public final class TestCertificates: Sendable {
    public let directory: URL
    public let authority: CertificateAuthority

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        authority = try CertificateAuthority.loadOrCreate(directory: directory)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    public var caFile: String { directory.appendingPathComponent("ca.pem").path }

    /// Issues `name` (DNS: name, localhost; IP: 127.0.0.1, ::1) and writes
    /// `name.pem` / `name.key`; returns their paths.
    @discardableResult
    public func issue(
        _ name: String,
        dnsNames: [String]? = nil,
        ipAddresses: [String] = ["127.0.0.1", "::1"],
        notBefore: Date = Date() - 3600,
        notAfter: Date = Date() + 86400,
        keyType: KeyType = .ecdsaP256
    ) throws -> (certificate: String, key: String) {
        let issued = try authority.issue(
            commonName: name, dnsNames: dnsNames ?? [name, "localhost"], ipAddresses: ipAddresses,
            notBefore: notBefore, notAfter: notAfter, keyType: keyType)
        let files = try CertificateFiles.write(issued, name: name, to: directory)
        return (files.certificate.path, files.key.path)
    }

    /// A separate CA in its own directory, for "unknown CA" cases.
    public static func foreign() throws -> TestCertificates { try TestCertificates() }
}
