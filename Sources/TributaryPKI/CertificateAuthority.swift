import Foundation
internal import CTributaryOpenSSL

/// A certificate authority for development and tests: an ECDSA P-256 key and
/// a self-signed certificate that issues TLS certificates to nodes and
/// agents. Production deployments should use their organisation's PKI.
///
/// Only the two PEM texts are stored, so instances are immutable and
/// `Sendable` without locks; each `issue` parses them into fresh OpenSSL
/// objects that no other thread sees and that are freed when it returns.
public final class CertificateAuthority: Sendable {
    /// The CA certificate, `BEGIN CERTIFICATE`: what peers trust.
    public let certificatePEM: String
    /// The CA private key, unencrypted PKCS#8 (`BEGIN PRIVATE KEY`).
    public let privateKeyPEM: String

    /// A new CA: ECDSA P-256 key, self-signed with SHA-256, valid from an
    /// hour ago (for clock skew) for `validityDays`; basicConstraints
    /// critical CA:TRUE pathlen:0 (it signs leaves only), keyUsage critical
    /// keyCertSign and cRLSign, and a subjectKeyIdentifier.
    public static func create(commonName: String = "Tributary development CA", validityDays: Int = 3650) throws -> CertificateAuthority {
        guard (1...36_500).contains(validityDays) else {
            throw PKIError.invalidValidity("a CA valid for \(validityDays) days; give 1 to 36500 days")
        }
        let key = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        var builder = CertificateBuilder(
            commonName: commonName, notBefore: now - 3600, notAfter: now + Double(validityDays) * 86400)
        builder.extensions = [
            (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
            (NID_key_usage, "critical,keyCertSign,cRLSign"),
            (NID_subject_key_identifier, "hash"),
        ]
        let certificate = try builder.sign(subjectKey: key, issuer: nil, issuerKey: key)
        return CertificateAuthority(checkedCertificatePEM: try certificate.pem(), privateKeyPEM: try key.pem())
    }

    /// Loads a CA from PEM text, checking that the certificate is a CA and
    /// that the key is its own. The key must not be encrypted.
    public convenience init(certificatePEM: String, privateKeyPEM: String) throws {
        try self.init(
            certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM,
            certificateSource: "the CA certificate text", keySource: "the CA private key text")
    }

    /// `certificateSource` and `keySource` (paths, usually) name the inputs in
    /// errors. The PEM is stored as OpenSSL writes it back, so a key in the
    /// traditional `BEGIN EC PRIVATE KEY` form comes out as PKCS#8.
    init(certificatePEM: String, privateKeyPEM: String, certificateSource: String, keySource: String) throws {
        let certificate = try Certificate(pem: certificatePEM, source: certificateSource)
        let key = try PrivateKey(pem: privateKeyPEM, source: keySource)
        guard certificate.isCertificateAuthority else { throw PKIError.notACertificateAuthority(source: certificateSource) }
        guard certificate.matches(key) else { throw PKIError.keyMismatch(certificate: certificateSource, key: keySource) }
        self.certificatePEM = try certificate.pem()
        self.privateKeyPEM = try key.pem()
    }

    private init(checkedCertificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = checkedCertificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Issues a TLS certificate, usable by both servers and clients, with a
    /// new key pair: basicConstraints critical CA:FALSE, keyUsage critical
    /// digitalSignature (and keyEncipherment for RSA), extendedKeyUsage
    /// serverAuth and clientAuth, subjectAltName with `dnsNames` and
    /// `ipAddresses` (IPv4 or IPv6), authority and subject key identifiers,
    /// signed with SHA-256.
    ///
    /// `notBefore` and `notAfter` may lie in the past or the future, to make
    /// expired or not-yet-valid certificates for tests. Duplicate names are
    /// dropped.
    public func issue(
        commonName: String,
        dnsNames: [String],
        ipAddresses: [String],
        notBefore: Date = Date() - 3600,
        notAfter: Date = Date() + 365 * 86400,
        keyType: KeyType = .ecdsaP256
    ) throws -> IssuedCertificate {
        let dnsNames = firstOccurrences(dnsNames)
        let ipAddresses = firstOccurrences(ipAddresses)
        let names = try dnsNames.map(SubjectAlternativeName.dnsName) + ipAddresses.map(SubjectAlternativeName.ipAddress)
        let authority = try Certificate(pem: certificatePEM, source: "the CA certificate")
        let authorityKey = try PrivateKey(pem: privateKeyPEM, source: "the CA private key")
        let key = try PrivateKey.generate(keyType)

        var builder = CertificateBuilder(commonName: commonName, notBefore: notBefore, notAfter: notAfter)
        let keyUsage = keyType == .rsa2048 ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
        builder.extensions = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, keyUsage),
            (NID_ext_key_usage, "serverAuth,clientAuth"),
            (NID_subject_key_identifier, "hash"),
            // The CA's key identifier; its issuer name and serial only if a
            // CA loaded from elsewhere has no subjectKeyIdentifier.
            (NID_authority_key_identifier, "keyid,issuer"),
        ]
        builder.subjectAlternativeNames = names
        let certificate = try builder.sign(subjectKey: key, issuer: authority, issuerKey: authorityKey)
        return IssuedCertificate(
            certificatePEM: try certificate.pem(),
            privateKeyPEM: try key.pem(),
            dnsNames: dnsNames,
            ipAddresses: ipAddresses,
            notBefore: builder.notBefore,
            notAfter: builder.notAfter)
    }
}

private func firstOccurrences(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}
