import Foundation
import NIOCore
internal import CTributaryOpenSSL
internal import CTributaryShims
import TributaryOpenSSLSupport

/// One TLS session driven through two memory BIOs: ciphertext from the
/// network goes in with `receive`, ciphertext for the network comes out of
/// `takeCiphertext`, and plaintext moves with `read` / `write`.
///
/// Owns its `SSL` (and, through it, both BIOs) and frees it in `deinit`.
/// Every operation clears OpenSSL's error queue first, so errors are never
/// attributed to the wrong call. Not thread-safe: one event loop drives it.
final class TLSConnection {
    enum Step {
        case complete
        case inProgress
        case failed(TLSError)
    }

    enum ReadOutcome {
        /// No more plaintext until more ciphertext arrives.
        case wantMore
        /// The peer sent close_notify.
        case closed
        case failed(TLSError)
    }

    let context: TLSContext
    private let ssl: OpaquePointer
    private let networkToSSL: OpaquePointer
    private let sslToNetwork: OpaquePointer
    private let recorder = TLSVerificationRecorder()
    let expectedHostname: String?

    /// - Parameter serverHostname: clients: the name or IP address the
    ///   server's certificate must carry (also sent as SNI for names).
    init(context: TLSContext, serverHostname: String?) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        let ssl = SSL_new(context.pointer)
        let input = BIO_new(BIO_s_mem())
        let output = BIO_new(BIO_s_mem())
        guard let ssl, let input, let output else {
            SSL_free(ssl)
            BIO_free(input)
            BIO_free(output)
            throw .handshakeFailed(detail: "OpenSSL could not create a connection: \(OpenSSLErrorQueue.describe(fallback: "out of memory"))")
        }
        // An empty memory BIO means "no data yet", not end of file.
        ctrib_BIO_set_mem_eof_return(input, -1)
        ctrib_BIO_set_mem_eof_return(output, -1)
        SSL_set_bio(ssl, input, output)
        self.ssl = ssl
        self.networkToSSL = input
        self.sslToNetwork = output
        self.context = context
        self.expectedHostname = serverHostname
        _ = SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(recorder).toOpaque())

        switch context.role {
        case .client:
            SSL_set_connect_state(ssl)
            if let host = serverHostname, context.configuration.verifyPeer {
                if Self.isIPAddress(host) {
                    _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
                } else {
                    _ = SSL_set1_host(ssl, host)
                    _ = ctrib_SSL_set_tlsext_host_name(ssl, host)
                }
            } else if let host = serverHostname, !Self.isIPAddress(host) {
                _ = ctrib_SSL_set_tlsext_host_name(ssl, host)
            }
        case .server:
            SSL_set_accept_state(ssl)
        }
    }

    deinit {
        SSL_free(ssl)
    }

    var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Ciphertext from the network.
    func receive(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            // A memory BIO grows to take everything; it never writes short.
            let written = BIO_write(networkToSSL, base, Int32(bytes.count))
            precondition(written == Int32(bytes.count), "BUG: memory BIO refused \(bytes.count) bytes")
        }
    }

    func handshake() -> Step {
        OpenSSLErrorQueue.clear()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            if let error = checkPins() { return .failed(error) }
            return .complete
        }
        switch SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .inProgress
        default:
            return .failed(handshakeError())
        }
    }

    /// Decrypts what plaintext is available, appending it to `buffer`.
    func read(into buffer: inout ByteBuffer) -> ReadOutcome {
        while true {
            OpenSSLErrorQueue.clear()
            var status: Int32 = 0
            var count = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16 * 1024) { space in
                status = SSL_read_ex(ssl, space.baseAddress, space.count, &count)
                return status == 1 ? count : 0
            }
            if status == 1 { continue }
            switch SSL_get_error(ssl, status) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return .wantMore
            case SSL_ERROR_ZERO_RETURN:
                return .closed
            default:
                return .failed(.handshakeFailed(detail: OpenSSLErrorQueue.describe(fallback: "TLS record error")))
            }
        }
    }

    /// Encrypts `buffer`'s readable bytes into the outgoing ciphertext.
    func write(_ buffer: ByteBuffer) -> TLSError? {
        buffer.withUnsafeReadableBytes { bytes -> TLSError? in
            var offset = 0
            while offset < bytes.count {
                OpenSSLErrorQueue.clear()
                var written = 0
                let status = SSL_write_ex(ssl, bytes.baseAddress! + offset, bytes.count - offset, &written)
                guard status == 1 else {
                    return .handshakeFailed(detail: "encrypting failed: \(OpenSSLErrorQueue.describe(fallback: "unknown"))")
                }
                offset += written
            }
            return nil
        }
    }

    /// Queues close_notify in the outgoing ciphertext.
    func shutdown() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    var pendingCiphertext: Int { Int(BIO_ctrl_pending(sslToNetwork)) }

    /// Moves the outgoing ciphertext into `buffer`.
    func takeCiphertext(into buffer: inout ByteBuffer) {
        let pending = pendingCiphertext
        guard pending > 0 else { return }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            Int(max(0, BIO_read(sslToNetwork, space.baseAddress, Int32(pending))))
        }
    }

    var peerIdentity: TLSPeerIdentity? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        return TLSPeerIdentity(certificate: certificate)
    }

    var negotiatedVersion: String { String(cString: SSL_get_version(ssl)) }

    var negotiatedCipher: String {
        SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "none"
    }

    private func checkPins() -> TLSError? {
        guard !context.pins.isEmpty else { return nil }
        guard let identity = peerIdentity else { return .peerCertificateRequired }
        let presented = Array(Data(base64Encoded: identity.publicKeySHA256) ?? Data())
        guard context.pins.contains(presented) else {
            return .pinMismatch(presented: identity.publicKeySHA256, pinned: context.configuration.pinnedPublicKeys)
        }
        return nil
    }

    /// The most specific explanation of a failed handshake.
    private func handshakeError() -> TLSError {
        if let error = recorder.error(expectedHostname: expectedHostname) {
            OpenSSLErrorQueue.clear()
            return error
        }
        let errors = OpenSSLErrorQueue.entries()
        let texts = errors.map(\.reasonText)
        let detail = texts.isEmpty ? "no details from OpenSSL" : texts.joined(separator: "; ")
        for reason in errors.map(\.reason) {
            switch reason {
            case SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_NO_PROTOCOLS_AVAILABLE, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, SSL_R_VERSION_TOO_LOW:
                return .protocolVersionTooOld(detail: detail)
            case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE, SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
                return .peerCertificateRequired
            case SSL_R_WRONG_VERSION_NUMBER, SSL_R_HTTP_REQUEST, SSL_R_HTTPS_PROXY_REQUEST, SSL_R_PACKET_LENGTH_TOO_LONG,
                 SSL_R_RECORD_LENGTH_MISMATCH:
                return .notTLS(detail: detail)
            case let code where code >= SSL_AD_REASON_OFFSET:
                return .rejectedByPeer(alert: detail)
            default:
                continue
            }
        }
        return .handshakeFailed(detail: detail)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

@available(*, unavailable)
extension TLSConnection: Sendable {}
