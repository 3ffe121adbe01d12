/// What a TLS endpoint uses: its certificate and key, whom it trusts, and how
/// strict it is. Defaults are safe: peers are verified, clients check the
/// server's name, TLS 1.2 is the minimum, only AEAD ciphers with forward
/// secrecy are offered.
public struct TLSConfiguration: Hashable, Sendable {
    /// PEM chain: this endpoint's certificate first, then intermediates.
    public var certificateChainFile: String?
    /// PEM private key (PKCS#8 or traditional, optionally encrypted).
    public var privateKeyFile: String?
    /// A file holding the key's passphrase (first line), for encrypted keys.
    public var privateKeyPassphraseFile: String?
    /// PEM bundle of the CAs whose certificates this endpoint trusts; nil
    /// trusts the system's store.
    public var trustedCAFile: String?
    /// Verify the peer's certificate (clients: the server's). Turning this
    /// off is for debugging only.
    public var verifyPeer = true
    /// Servers: ask every client for a certificate and refuse those without
    /// a valid one (mutual TLS).
    public var requireClientCertificate = false
    public var minimumVersion = TLSVersion.v1_2
    public var maximumVersion: TLSVersion?
    /// TLS 1.2 cipher list (OpenSSL syntax): ECDHE with AES-GCM or ChaCha20.
    public var cipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    /// TLS 1.3 cipher suites.
    public var cipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// Key-exchange groups, most preferred first.
    public var groups = "X25519:P-256:P-384"
    /// SHA-256 of the peer's SubjectPublicKeyInfo, base64 (`sha256/` prefix
    /// optional) or hex. Empty: no pinning. When set, the peer must present
    /// one of these keys in addition to passing verification.
    public var pinnedPublicKeys: [String] = []

    public init() {}

    /// The files this configuration reads, for reload-on-change.
    public var files: [String] {
        [certificateChainFile, privateKeyFile, privateKeyPassphraseFile, trustedCAFile].compactMap { $0 }
    }
}
