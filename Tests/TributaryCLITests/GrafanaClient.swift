import Foundation
import TributaryHTTPClient

/// Requests as Grafana's Loki and Prometheus data sources send them (its
/// backend is Go): HTTP Basic with the tenant as user and the token as
/// password, parameters encoded by Go's `url.Values.Encode` (a space is
/// `+`, everything but letters, digits and `-_.~` is `%XX`), queries to
/// Prometheus as a form POST (Grafana's default `httpMethod: POST`).
struct GrafanaClient {
    let port: Int
    var user = "acme"
    var password = "token-for-acme"

    /// Go's `url.QueryEscape`.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `url.Values.Encode`: sorted by name.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.sorted { $0.0 < $1.0 }.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    var authorization: String { "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }

    func get(_ path: String, _ parameters: [(String, String)] = []) throws -> NodeHTTP.Response {
        let query = parameters.isEmpty ? "" : "?" + Self.encode(parameters)
        return try NodeHTTP.request("GET", port: port, path + query, headers: ["Authorization": authorization])
    }

    func post(_ path: String, _ parameters: [(String, String)]) throws -> NodeHTTP.Response {
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.request(method: "POST", host: "127.0.0.1", port: port, path: path,
                                  headers: ["Authorization": authorization, "Content-Type": "application/x-www-form-urlencoded"],
                                  requestBody: Array(Self.encode(parameters).utf8), tls: try NodeHTTP.tls(port: port), timeoutSeconds: 60,
                                  status: { status = $0 }, body: { body += $0 })
        return NodeHTTP.Response(status: status, body: String(decoding: body, as: UTF8.self))
    }
}
