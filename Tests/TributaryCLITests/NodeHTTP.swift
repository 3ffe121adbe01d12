import Foundation
import TributaryNode

/// Test helper: GET a node's HTTP API and parse the JSON.
enum NodeHTTP {
    struct Response {
        let status: Int
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
        /// Log lines of a log query.
        var lines: [[String: Any]] { data["lines"] as? [[String: Any]] ?? [] }
        var messages: [String] { lines.compactMap { $0["line"] as? String } }
        /// Series of a metric query.
        var series: [[String: Any]] { data["result"] as? [[String: Any]] ?? [] }
    }

    static func get(port: Int, _ path: String, token: String? = "token-for-acme") throws -> Response {
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: "127.0.0.1", port: port, path: path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:],
                              status: { status = $0 }, body: { body += $0 })
        return Response(status: status, body: String(decoding: body, as: UTF8.self))
    }

    /// `/api/v1/query_range` with the parameters URL-encoded.
    static func query(port: Int, _ query: String, _ parameters: [String: String] = [:], token: String? = "token-for-acme") throws -> Response {
        var components = URLComponents()
        components.path = "/api/v1/query_range"
        components.queryItems = [URLQueryItem(name: "query", value: query)] + parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return try get(port: port, components.url!.absoluteString.replacingOccurrences(of: "+", with: "%2B"), token: token)
    }
}
