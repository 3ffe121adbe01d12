import Foundation
internal import CTributaryOpenSSL
internal import CTributaryShims
import TributaryOpenSSLSupport

/// An OpenSSL `SSL_CTX` built from a `TLSConfiguration`: certificate, key,
/// trusted CAs, versions, ciphers and verification mode, loaded once and
/// shared by every connection made from it.
///
/// Loading checks everything an operator could get wrong and says which file
/// and what to do: unreadable files, files that are not PEM, a key that does
/// not belong to the certificate, a wrong passphrase, our own certificate
/// expired or not yet valid.
///
/// Sendable: after `init` the context is never mutated, and OpenSSL allows
/// one `SSL_CTX` to create connections from any thread.
public final class TLSContext: @unchecked Sendable {
    public enum Role: Sendable {
        case client
        case server
    }

    let pointer: OpaquePointer
    public let role: Role
    public let configuration: TLSConfiguration
    /// Pins decoded to raw SHA-256 digests.
    let pins: [[UInt8]]
    /// Our own certificate, if configured.
    public let localIdentity: TLSPeerIdentity?

    public init(configuration: TLSConfiguration, role: Role) throws(TLSError) {
        let pins = try configuration.pinnedPublicKeys.map { pin throws(TLSError) in try Self.decodePin(pin) }
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(role == .client ? TLS_client_method() : TLS_server_method()) else {
            throw .invalidConfiguration("OpenSSL could not create a context: \(OpenSSLErrorQueue.describe(fallback: "out of memory"))")
        }
        // Stored properties are set only on success: once they all are, a
        // throwing initializer runs deinit, which would free the context a
        // second time.
        let identity: TLSPeerIdentity?
        do throws(TLSError) {
            try Self.configure(context, configuration, role: role)
            identity = SSL_CTX_get0_certificate(context).map { TLSPeerIdentity(certificate: $0) }
            if let identity {
                let now = Date()
                if identity.notAfter < now {
                    throw TLSError.certificateExpired(party: .local, subject: identity.subject, notAfter: identity.notAfter)
                }
                if identity.notBefore > now {
                    throw TLSError.certificateNotYetValid(party: .local, subject: identity.subject, notBefore: identity.notBefore)
                }
            }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.pointer = context
        self.role = role
        self.configuration = configuration
        self.pins = pins
        self.localIdentity = identity
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private static func configure(_ context: OpaquePointer, _ configuration: TLSConfiguration, role: Role) throws(TLSError) {
        ctrib_SSL_CTX_set_tributary_defaults(context)
        guard ctrib_SSL_CTX_set_min_proto_version(context, configuration.minimumVersion.openSSLValue) == 1 else {
            throw .invalidConfiguration("cannot set the minimum TLS version: \(OpenSSLErrorQueue.describe(fallback: "unknown"))")
        }
        if let maximum = configuration.maximumVersion {
            guard maximum >= configuration.minimumVersion else {
                throw .invalidConfiguration("maximum TLS version \(maximum.rawValue) is below the minimum \(configuration.minimumVersion.rawValue)")
            }
            _ = ctrib_SSL_CTX_set_max_proto_version(context, maximum.openSSLValue)
        }
        guard SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1 else {
            throw .invalidConfiguration("no usable TLS 1.2 cipher in \"\(configuration.cipherList)\": \(OpenSSLErrorQueue.describe(fallback: "unknown"))")
        }
        guard SSL_CTX_set_ciphersuites(context, configuration.cipherSuites) == 1 else {
            throw .invalidConfiguration("no usable TLS 1.3 cipher suite in \"\(configuration.cipherSuites)\": \(OpenSSLErrorQueue.describe(fallback: "unknown"))")
        }
        guard ctrib_SSL_CTX_set1_groups_list(context, configuration.groups) == 1 else {
            throw .invalidConfiguration("unknown key-exchange group in \"\(configuration.groups)\": \(OpenSSLErrorQueue.describe(fallback: "unknown"))")
        }

        switch (configuration.certificateChainFile, configuration.privateKeyFile) {
        case (let chain?, let key?):
            try loadCertificateChain(context, path: chain)
            try loadPrivateKey(context, path: key, passphraseFile: configuration.privateKeyPassphraseFile, certificatePath: chain)
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw .keyDoesNotMatchCertificate(certificate: chain, key: key)
            }
        case (nil, nil):
            if role == .server {
                throw .invalidConfiguration("a TLS server needs a certificate chain and a private key")
            }
        case (_?, nil):
            throw .invalidConfiguration("a certificate is configured without its private key")
        case (nil, _?):
            throw .invalidConfiguration("a private key is configured without its certificate")
        }

        if let caFile = configuration.trustedCAFile {
            try requireReadable(caFile, purpose: "CA bundle")
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw .invalidPEM(path: caFile, purpose: "CA bundle", detail: OpenSSLErrorQueue.describe(fallback: "no certificate found"))
            }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }

        var mode: Int32 = SSL_VERIFY_NONE
        switch role {
        case .client:
            if configuration.verifyPeer { mode = SSL_VERIFY_PEER }
        case .server:
            if configuration.requireClientCertificate {
                mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
            }
            let sessionContext = Array("tributary".utf8)
            _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))
            // Our clients hold long-lived connections and never resume
            // sessions: tickets would be work for nothing.
            _ = SSL_CTX_set_num_tickets(context, 0)
        }
        SSL_CTX_set_verify(context, mode, tributaryVerifyCallback)
    }

    private static func requireReadable(_ path: String, purpose: String) throws(TLSError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableFile(path: path, purpose: purpose, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw .unreadableFile(path: path, purpose: purpose, reason: "it is a directory")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadableFile(path: path, purpose: purpose, reason: "permission denied for this user")
        }
    }

    private static func loadCertificateChain(_ context: OpaquePointer, path: String) throws(TLSError) {
        try requireReadable(path, purpose: "certificate chain")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(context, path) == 1 else {
            throw .invalidPEM(path: path, purpose: "certificate chain", detail: OpenSSLErrorQueue.describe(fallback: "no certificate found"))
        }
    }

    private static func loadPrivateKey(_ context: OpaquePointer, path: String, passphraseFile: String?, certificatePath: String?) throws(TLSError) {
        try requireReadable(path, purpose: "private key")
        var passphrase: String?
        if let passphraseFile {
            try requireReadable(passphraseFile, purpose: "private key passphrase")
            let text = (try? String(contentsOfFile: passphraseFile, encoding: .utf8)) ?? ""
            passphrase = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw .unreadableFile(path: path, purpose: "private key", reason: OpenSSLErrorQueue.describe(fallback: "cannot open"))
        }
        defer { BIO_free(bio) }
        let key: OpaquePointer? = passphrase.map { phrase in
            phrase.withCString { PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0)) }
        } ?? PEM_read_bio_PrivateKey(bio, nil, passphraseRefusal, nil)
        guard let key else {
            let detail = OpenSSLErrorQueue.describe(fallback: "no private key found")
            if detail.contains("bad decrypt") || detail.contains("interrupted or cancelled") || detail.contains("bad password") {
                throw .wrongPassphrase(path: path)
            }
            // A wrong passphrase passes the cipher's padding check about
            // once in 256 tries; the key's structure is then what fails.
            // An encrypted key that does not open is still a passphrase matter.
            if Self.holdsEncryptedKey(path) { throw .wrongPassphrase(path: path) }
            throw .invalidPEM(path: path, purpose: "private key", detail: detail)
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(context, key) == 1 else {
            let detail = OpenSSLErrorQueue.describe(fallback: "unusable key")
            if detail.contains("key values mismatch"), let chain = certificatePath {
                throw .keyDoesNotMatchCertificate(certificate: chain, key: path)
            }
            throw .invalidPEM(path: path, purpose: "private key", detail: detail)
        }
    }

    /// Whether the PEM file at `path` holds an encrypted private key (PKCS #8
    /// `ENCRYPTED PRIVATE KEY` or a traditional key with `Proc-Type: 4,ENCRYPTED`).
    private static func holdsEncryptedKey(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")
    }

    /// Accepts `sha256/BASE64`, `BASE64` or 64 hex digits.
    static func decodePin(_ pin: String) throws(TLSError) -> [UInt8] {
        let text = pin.hasPrefix("sha256/") ? String(pin.dropFirst(7)) : pin
        if text.count == 64, let bytes = hexBytes(text) { return bytes }
        if let data = Data(base64Encoded: text), data.count == 32 { return Array(data) }
        throw .invalidConfiguration("pinned key \"\(pin)\" is neither sha256/BASE64 nor 64 hex digits of a SHA-256")
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// Without a passphrase file, an encrypted key must fail rather than make
/// OpenSSL prompt on the terminal.
private func passphraseRefusal(_: UnsafeMutablePointer<CChar>?, _: Int32, _: Int32, _: UnsafeMutableRawPointer?) -> Int32 {
    0
}
