internal import CTributaryOpenSSL
import TributaryOpenSSLSupport
internal import CTributaryShims

/// An OpenSSL `EVP_PKEY` holding a private key. Owns one reference and frees
/// it in `deinit`.
final class PrivateKey {
    let pointer: OpaquePointer

    private init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A fresh key pair from OpenSSL's default random generator.
    static func generate(_ type: KeyType) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let key: OpaquePointer?
        switch type {
        case .ecdsaP256: key = ctrib_pki_generate_ec_key("P-256")
        case .rsa2048: key = ctrib_pki_generate_rsa_key(2048)
        }
        guard let key else { throw OpenSSLErrorQueue.failure("generate a \(type.rawValue) key") }
        return PrivateKey(taking: key)
    }

    /// Parses the first private key in `pem`. An encrypted key is refused
    /// rather than prompting on the terminal for a passphrase.
    init(pem: String, source: String) throws {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(text: pem)
        // Without a callback OpenSSL would ask for a passphrase on the terminal.
        guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in 0 }, nil) else {
            throw PKIError.invalidPEM(
                source: source, expected: "unencrypted private key", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        pointer = key
    }

    /// Unencrypted PKCS#8 (`BEGIN PRIVATE KEY`).
    func pem() throws -> String {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO()
        guard PEM_write_bio_PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLErrorQueue.failure("write a private key as PEM")
        }
        return bio.text
    }

    /// PKCS#8 encrypted with AES-256-CBC (PBES2; OpenSSL 3 derives the key
    /// with PBKDF2-HMAC-SHA256) as `BEGIN ENCRYPTED PRIVATE KEY`.
    func encryptedPEM(passphrase: String) throws -> String {
        // With no passphrase OpenSSL would prompt on the terminal.
        guard !passphrase.isEmpty else { throw PKIError.emptyPassphrase }
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO()
        let written = passphrase.withCString { phrase in
            PEM_write_bio_PKCS8PrivateKey(
                bio.pointer, pointer, EVP_aes_256_cbc(), phrase, Int32(passphrase.utf8.count), nil, nil)
        }
        guard written == 1 else { throw OpenSSLErrorQueue.failure("encrypt a private key") }
        return bio.text
    }
}
