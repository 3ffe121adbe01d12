import Foundation
import TributaryConfig

/// Where notifications go: an Alertmanager (`POST /api/v2/alerts`) or a
/// plain webhook (Alertmanager's webhook payload, version 4), with how to
/// reach it.
public struct AlertReceiver: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case alertmanager
        case webhook
    }

    public var kind: Kind
    /// As configured: `http://host:port[/path]` or `https://…`.
    public var url: String
    public var isTLS: Bool
    public var host: String
    public var port: Int
    /// The request path: an Alertmanager's base path + `/api/v2/alerts`; a webhook's own path.
    public var path: String
    /// Sent as `Authorization: Bearer …`.
    public var bearerToken: String?
    /// CA bundle for an https receiver (default: the system's).
    public var caFile: String?
    public var timeout: Duration

    /// A name that is safe as a directory name and unique per receiver:
    /// the URL's letters and digits (readable) and a hash of the whole URL
    /// (two URLs that differ only in punctuation get two outboxes).
    public var slug: String {
        let text = kind.rawValue + "-" + url.map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (kind.rawValue + " " + url).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return String(text.prefix(100)) + "-" + String(hash, radix: 16)
    }

    /// Reads one item of `alerting.alertmanagers` or `alerting.webhooks`:
    /// a URL, or `{url:, bearer_token:, bearer_token_file:, ca:, timeout:}`.
    static func read(_ item: ConfigListItem, kind: Kind, owner: ConfigReader, key: String, base: String, timeout: Duration) throws(ConfigError) -> AlertReceiver {
        var url: String
        var token: String?
        var ca: String?
        var itemTimeout = timeout
        switch item {
        case .string(let text): url = text
        case .mapping(let entry):
            url = try entry.requiredString("url", expected: "the receiver's URL, e.g. http://127.0.0.1:9093")
            token = try entry.string("bearer_token")
            if let file = try entry.string("bearer_token_file") {
                guard token == nil else { throw entry.error("bearer_token_file", "give bearer_token or bearer_token_file, not both") }
                let path = file.hasPrefix("/") ? file : base + "/" + file
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw entry.error("bearer_token_file", "cannot read \(path)")
                }
                token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            ca = try entry.string("ca").map { $0.hasPrefix("/") ? $0 : base + "/" + $0 }
            itemTimeout = try entry.duration("timeout", default: timeout)
            try entry.finish()
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            throw owner.error(key, "\"\(url)\" is not an http:// or https:// URL such as http://127.0.0.1:9093")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        var path = components.percentEncodedPath
        if kind == .alertmanager {
            if path.hasSuffix("/") { path.removeLast() }
            path += "/api/v2/alerts"
        } else if path.isEmpty {
            path = "/"
        }
        if let query = components.percentEncodedQuery { path += "?" + query }
        return AlertReceiver(kind: kind, url: url, isTLS: scheme == "https", host: host, port: port, path: path, bearerToken: token,
                             caFile: ca, timeout: itemTimeout)
    }
}
