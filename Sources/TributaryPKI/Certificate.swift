internal import CTributaryOpenSSL
import TributaryOpenSSLSupport

/// An OpenSSL `X509` certificate. Owns one reference and frees it in `deinit`.
final class Certificate {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses the first certificate in `pem`.
    convenience init(pem: String, source: String) throws {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(text: pem)
        guard let certificate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw PKIError.invalidPEM(source: source, expected: "certificate", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        self.init(taking: certificate)
    }

    /// `BEGIN CERTIFICATE` text.
    func pem() throws -> String {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509(bio.pointer, pointer) == 1 else {
            throw OpenSSLErrorQueue.failure("write a certificate as PEM")
        }
        return bio.text
    }

    /// Whether the certificate may sign other certificates (basicConstraints
    /// CA:TRUE, and keyCertSign if keyUsage is present).
    var isCertificateAuthority: Bool {
        defer { OpenSSLErrorQueue.clear() }
        // 1 is a CA by basicConstraints; other non-zero values are legacy
        // (v1 self-signed, Netscape) CAs that we do not accept.
        return X509_check_ca(pointer) == 1
    }

    /// Whether `key` is the private half of this certificate's public key.
    func matches(_ key: PrivateKey) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        return X509_check_private_key(pointer, key.pointer) == 1
    }
}
