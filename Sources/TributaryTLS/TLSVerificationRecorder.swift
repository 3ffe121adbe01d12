import Foundation
internal import CTributaryOpenSSL

/// Remembers the first certificate verification failure of one connection,
/// with the certificate it concerned, so the handshake error can name the
/// subject, dates and names instead of "certificate verify failed".
///
/// OpenSSL calls `tributaryVerifyCallback` during the handshake; the
/// connection registers its recorder under ex-data index 0 of its `SSL`.
final class TLSVerificationRecorder {
    struct Failure {
        let code: Int32
        let depth: Int32
        let reason: String
        let certificate: TLSPeerIdentity?
    }

    private(set) var failure: Failure?

    func record(code: Int32, depth: Int32, certificate: OpaquePointer?) {
        guard failure == nil else { return }
        let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
        failure = Failure(code: code, depth: depth, reason: reason, certificate: certificate.map { TLSPeerIdentity(certificate: $0) })
    }

    /// The failure as the error an operator should see.
    func error(expectedHostname: String?) -> TLSError? {
        guard let failure else { return nil }
        let subject = failure.certificate?.subject ?? "(unknown)"
        switch failure.code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .certificateExpired(party: .peer, subject: subject, notAfter: failure.certificate?.notAfter ?? Date())
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return .certificateNotYetValid(party: .peer, subject: subject, notBefore: failure.certificate?.notBefore ?? Date())
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
             X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return .unknownCA(subject: subject, issuer: failure.certificate?.issuer ?? "(unknown)")
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            let names = (failure.certificate?.dnsNames ?? []) + (failure.certificate?.ipAddresses ?? [])
            return .hostnameMismatch(expected: expectedHostname ?? "(unknown)", presented: names)
        default:
            return .certificateVerificationFailed(subject: subject, reason: failure.reason)
        }
    }
}

/// The verify callback set on every context. A C function pointer cannot
/// capture, so it finds the connection's recorder through the `SSL`.
func tributaryVerifyCallback(_ preverifyOK: Int32, _ storeContext: OpaquePointer?) -> Int32 {
    guard preverifyOK == 0, let storeContext else { return preverifyOK }
    let index = SSL_get_ex_data_X509_STORE_CTX_idx()
    if let ssl = X509_STORE_CTX_get_ex_data(storeContext, index),
       let recorder = SSL_get_ex_data(OpaquePointer(ssl), 0)
    {
        Unmanaged<TLSVerificationRecorder>.fromOpaque(recorder).takeUnretainedValue().record(
            code: X509_STORE_CTX_get_error(storeContext),
            depth: X509_STORE_CTX_get_error_depth(storeContext),
            certificate: X509_STORE_CTX_get_current_cert(storeContext))
    }
    return 0
}
