import Foundation
import HTTPTypes

/// A bearer token carried in `Sec-WebSocket-Protocol`, for browsers: their
/// WebSocket API cannot set `Authorization`, and a token in the URL would
/// end up in logs and history. The web console opens the tail with the
/// protocols `tributary.tail` and `tributary.bearer.<base64url(token)>`
/// (the way Kubernetes' API server accepts
/// `base64url.bearer.authorization.k8s.io.<token>`); the node answers
/// with `tributary.tail`, never echoing the token.
enum TailSubprotocol {
    static let selected = "tributary.tail"
    static let bearerPrefix = "tributary.bearer."
    /// Tokens are short; anything longer is not one of ours.
    static let maxEncodedLength = 1024

    /// The offered protocols, trimmed.
    static func offered(_ headers: HTTPFields) -> [Substring] {
        headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }.map { $0.trimmingPrefix(" ").split(separator: " ").first ?? "" }
    }

    /// The token of a `tributary.bearer.` protocol, if one was offered and
    /// decodes; nil otherwise (then the tail's usual credential check
    /// refuses the connection with its own message).
    static func token(in headers: HTTPFields) -> String? {
        guard let offer = offered(headers).first(where: { $0.hasPrefix(bearerPrefix) }) else { return nil }
        let encoded = offer.dropFirst(bearerPrefix.count)
        guard !encoded.isEmpty, encoded.count <= maxEncodedLength else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let token = String(data: data, encoding: .utf8) else { return nil }
        return token
    }

    /// The response's `Sec-WebSocket-Protocol`: `tributary.tail` when the
    /// client offered it (a browser fails the connection if the answer
    /// names a protocol it did not offer, or none when it offered some).
    static func responseHeaders(for request: HTTPFields) -> HTTPFields {
        offered(request).contains(where: { $0 == selected }) ? [.secWebSocketProtocol: selected] : [:]
    }
}
