import Foundation
internal import CTributaryOpenSSL
internal import CTributaryShims

/// Who a verified certificate says its holder is, for mapping an agent's
/// certificate to an identity and for error messages.
public struct TLSPeerIdentity: Hashable, Sendable, CustomStringConvertible {
    /// RFC 2253 form, e.g. `CN=agent-1`.
    public let subject: String
    public let issuer: String
    public let dnsNames: [String]
    public let ipAddresses: [String]
    /// SHA-256 of the DER certificate, lower-case hex.
    public let fingerprintSHA256: String
    /// SHA-256 of the DER SubjectPublicKeyInfo, base64: what pins name.
    public let publicKeySHA256: String
    public let notBefore: Date
    public let notAfter: Date

    /// The common name, if the subject has one.
    public var commonName: String? {
        subject.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) }
    }

    public var description: String {
        "\(subject) (DNS: \(dnsNames.joined(separator: ", ")); IP: \(ipAddresses.joined(separator: ", ")); sha256 \(fingerprintSHA256.prefix(16))…)"
    }

    init(certificate: OpaquePointer) {
        subject = Self.text { ctrib_X509_subject_rfc2253(certificate, $0, $1) }
        issuer = Self.text { ctrib_X509_issuer_rfc2253(certificate, $0, $1) }
        let names = Self.text { ctrib_X509_subject_alt_names(certificate, $0, $1) }.split(separator: "\n")
        dnsNames = names.filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) }
        ipAddresses = names.filter { $0.hasPrefix("IP:") }.map { String($0.dropFirst(3)) }

        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = X509_digest(certificate, EVP_sha256(), &digest, &length)
        fingerprintSHA256 = digest.map { String(format: "%02x", $0) }.joined()
        var spki = [UInt8](repeating: 0, count: 32)
        _ = ctrib_X509_spki_sha256(certificate, &spki)
        publicKeySHA256 = Data(spki).base64EncodedString()

        var before: Int64 = 0
        var after: Int64 = 0
        _ = ctrib_X509_validity(certificate, &before, &after)
        notBefore = Date(timeIntervalSince1970: TimeInterval(before))
        notAfter = Date(timeIntervalSince1970: TimeInterval(after))
    }

    /// Calls a C function that fills a buffer, growing it if needed.
    private static func text(_ fill: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        let needed = Int(fill(&buffer, buffer.count))
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: needed + 1)
            _ = fill(&buffer, buffer.count)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
