/// Fired as a user inbound event once the handshake succeeded (and the
/// peer's certificate passed verification and pinning), before any
/// plaintext is delivered.
public struct TLSHandshakeCompleted: Sendable, Hashable {
    /// The peer's certificate, if it presented one.
    public let peer: TLSPeerIdentity?
    /// `TLSv1.3` or `TLSv1.2`.
    public let version: String
    /// OpenSSL's name of the negotiated cipher, e.g. `TLS_AES_128_GCM_SHA256`.
    public let cipher: String
}
