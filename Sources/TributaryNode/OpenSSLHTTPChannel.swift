import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TributaryTLS

/// Hummingbird's HTTP/1 child channel behind our OpenSSL `TLSHandler`
/// (the pattern of HummingbirdTLS's `TLSChannel`, without swift-nio-ssl):
///
/// ```
/// socket ─ PlainHTTPRefusal ─ TLSHandler ─ TLSConnectionInfo.Recorder ─ HTTP/1 codec … ─ Hummingbird
/// ```
/// Each connection takes the `TLSContextStore`'s current context, so a
/// renewed certificate (5 s file check, SIGHUP) applies to new connections.
/// The handshake (with the client certificate, if any) reaches requests
/// through `TLSConnectionInfo.current`.
struct OpenSSLHTTPChannel<Base: ServerChildChannel>: ServerChildChannel {
    /// The HTTP/1 channel's value plus the connection's TLS info.
    struct Value: ServerChildChannelValue {
        let base: Base.Value
        let info: TLSConnectionInfo
        var channel: any Channel { base.channel }
    }

    /// HTTP/1, with or without the WebSocket upgrade.
    let base: Base
    let tls: TLSContextStore

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let info = TLSConnectionInfo()
        let context = tls.context
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(PlainHTTPRefusal())
            try pipeline.addHandler(TLSHandler(context: context))
            try pipeline.addHandler(TLSConnectionInfo.Recorder(info))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.map {
            Value(base: $0, info: info)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await TLSConnectionInfo.$current.withValue(value.info) {
            await base.handle(value: value.base, logger: logger)
        }
    }
}
