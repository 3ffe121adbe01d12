import Foundation

/// A certificate issued by a `CertificateAuthority`, with its new private key.
public struct IssuedCertificate: Sendable {
    /// The certificate, `BEGIN CERTIFICATE`.
    public let certificatePEM: String
    /// The private key, unencrypted PKCS#8 (`BEGIN PRIVATE KEY`).
    public let privateKeyPEM: String
    /// The subjectAltName DNS entries, as given.
    public let dnsNames: [String]
    /// The subjectAltName IP address entries, as given.
    public let ipAddresses: [String]
    /// The validity period, to the second as in the certificate.
    public let notBefore: Date
    public let notAfter: Date

    /// The private key as PKCS#8 encrypted with AES-256-CBC
    /// (`BEGIN ENCRYPTED PRIVATE KEY`), for peers that load keys with a
    /// passphrase.
    public func encryptedPrivateKeyPEM(passphrase: String) throws -> String {
        try PrivateKey(pem: privateKeyPEM, source: "the issued private key").encryptedPEM(passphrase: passphrase)
    }
}
