import Foundation

/// Why TLS setup or a handshake failed, in words an operator can act on:
/// which file, which certificate, which dates or names, what to change.
public enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which side a certificate belongs to, for messages.
    public enum Party: String, Sendable {
        case local = "our"
        case peer = "the peer's"
    }

    case unreadableFile(path: String, purpose: String, reason: String)
    case invalidPEM(path: String, purpose: String, detail: String)
    case keyDoesNotMatchCertificate(certificate: String, key: String)
    case wrongPassphrase(path: String)
    case invalidConfiguration(String)
    case certificateExpired(party: Party, subject: String, notAfter: Date)
    case certificateNotYetValid(party: Party, subject: String, notBefore: Date)
    /// The peer's chain does not lead to a CA we trust.
    case unknownCA(subject: String, issuer: String)
    case hostnameMismatch(expected: String, presented: [String])
    /// The server requires a client certificate and none was sent.
    case peerCertificateRequired
    case pinMismatch(presented: String, pinned: [String])
    /// The peer offers only protocol versions below our minimum (or we below its).
    case protocolVersionTooOld(detail: String)
    /// The peer does not speak TLS at all.
    case notTLS(detail: String)
    /// The peer ended the handshake with an alert.
    case rejectedByPeer(alert: String)
    case certificateVerificationFailed(subject: String, reason: String)
    case handshakeFailed(detail: String)
    /// The connection ended without a TLS close_notify after the handshake:
    /// the peer crashed, or something truncated the stream (a "ragged EOF").
    case uncleanShutdown
    case closedDuringHandshake

    public var description: String {
        switch self {
        case .unreadableFile(let path, let purpose, let reason):
            return "cannot read the \(purpose) file \(path): \(reason)"
        case .invalidPEM(let path, let purpose, let detail):
            return "\(path) does not hold a PEM \(purpose): \(detail)"
        case .keyDoesNotMatchCertificate(let certificate, let key):
            return "the private key \(key) does not belong to the certificate \(certificate): configure the key that was issued with this certificate"
        case .wrongPassphrase(let path):
            return "cannot decrypt the private key \(path): the passphrase is wrong or missing (set the passphrase file)"
        case .invalidConfiguration(let detail):
            return "invalid TLS configuration: \(detail)"
        case .certificateExpired(let party, let subject, let notAfter):
            return "\(party.rawValue) certificate \(subject) expired on \(Self.format(notAfter)) (now \(Self.format(Date()))): renew it"
        case .certificateNotYetValid(let party, let subject, let notBefore):
            return "\(party.rawValue) certificate \(subject) is not valid before \(Self.format(notBefore)) (now \(Self.format(Date()))): check the clocks, or wait"
        case .unknownCA(let subject, let issuer):
            return "the peer's certificate \(subject) was issued by \(issuer), which is not a trusted CA: add that CA to the CA file, or use a certificate from the configured CA"
        case .hostnameMismatch(let expected, let presented):
            return "the peer's certificate is not valid for \(expected): it names \(presented.isEmpty ? "nothing" : presented.joined(separator: ", ")); connect by one of those names or reissue the certificate with \(expected)"
        case .peerCertificateRequired:
            return "the server requires a client certificate and none was presented: configure the agent's certificate and key"
        case .pinMismatch(let presented, let pinned):
            return "the peer's public key (sha256/\(presented)) matches none of the pinned keys (\(pinned.joined(separator: ", ")))"
        case .protocolVersionTooOld(let detail):
            return "TLS version too old: \(detail); TLS 1.2 is the minimum"
        case .notTLS(let detail):
            return "the peer is not speaking TLS (\(detail)): is it plain TCP or HTTP on a TLS port?"
        case .rejectedByPeer(let alert):
            return "the peer rejected the TLS handshake: \(alert)"
        case .certificateVerificationFailed(let subject, let reason):
            return "the peer's certificate \(subject) failed verification: \(reason)"
        case .handshakeFailed(let detail):
            return "TLS handshake failed: \(detail)"
        case .uncleanShutdown:
            return "the TLS connection ended without close_notify (the peer stopped abruptly or the stream was cut)"
        case .closedDuringHandshake:
            return "the peer closed the connection during the TLS handshake"
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
