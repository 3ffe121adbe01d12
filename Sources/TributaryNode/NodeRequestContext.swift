import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TributaryTLS

/// Hummingbird's request context for the node's API, carrying who the
/// caller is: the verified client certificate of the connection, if any,
/// and the identity `NodeAuthMiddleware` resolved from the credentials;
/// and the request's channel, so a query can notice its client leaving
/// (Hummingbird does not cancel a handler when the connection closes).
struct NodeRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection's verified client certificate (HTTPS with a client
    /// certificate only).
    let clientCertificate: TLSPeerIdentity?
    /// Set by `NodeAuthMiddleware`; nil on open endpoints called without
    /// credentials.
    var identity: APIIdentity?
    let channel: any Channel
    /// Where a WebSocket route (`/loki/api/v1/tail`) leaves its handler.
    let webSocket = WebSocketHandlerReference<NodeRequestContext>()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        clientCertificate = TLSConnectionInfo.current?.handshake?.peer
        identity = nil
    }

    /// The tenant of a request that passed a role check.
    var tenant: String {
        guard let identity else { preconditionFailure("BUG: a tenant endpoint ran without NodeAuthMiddleware's identity") }
        return identity.tenant
    }
}
