import Foundation
import Synchronization
import TributaryHTTPClient
import TributaryNode
import TributaryTLS
import TributaryTestSupport

/// Test helper: GET a node's HTTP API and parse the JSON. Nodes serve
/// HTTPS; `trust(port:ca:)` (called by `NodeSetup` and `ClusterSetup`
/// when they learn a node's HTTP port) says which CA verifies a port, and
/// ports never trusted are spoken to in plain HTTP (insecure nodes).
enum NodeHTTP {
    /// An admin token every test configuration carries (besides `token-for-acme`).
    static let adminToken = "admin-token-for-tests"

    private static let trusted = Mutex<[Int: String]>([:])

    /// Requests to `port` use HTTPS verified with `ca`.
    static func trust(port: Int, ca: String) {
        trusted.withLock { $0[port] = ca }
    }

    /// Requests to `port` use plain HTTP again: an agent's port (always
    /// plain) may have been a node's HTTPS port in an earlier test.
    static func forget(port: Int) {
        _ = trusted.withLock { $0.removeValue(forKey: port) }
    }

    /// The client TLS for `port`, if it was trusted.
    static func tls(port: Int) throws -> HTTPGetClient.TLS? {
        guard let ca = trusted.withLock({ $0[port] }) else { return nil }
        var configuration = TLSConfiguration()
        configuration.trustedCAFile = ca
        return HTTPGetClient.TLS(context: try TLSContext(configuration: configuration, role: .client))
    }

    /// Waits for `trib node`'s "HTTP API on https://host:port" line and
    /// returns the port, trusting `ca` for it when the scheme is https.
    static func waitForAPI(_ process: RunningProcess, ca: String?) async throws -> Int {
        let line = try await process.waitForLine { $0.contains("HTTP API on http") }
        let url = line.components(separatedBy: "HTTP API on ")[1].split(separator: " ")[0]
        guard let port = Int(url.split(separator: ":").last ?? "") else { throw NodeHTTPError.noPort(line) }
        if url.hasPrefix("https://"), let ca { trust(port: port, ca: ca) }
        return port
    }

    enum NodeHTTPError: Error {
        case noPort(String)
    }

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

    /// A metric answer's `data.result`, each series as canonical JSON,
    /// sorted: equal for equal answers whatever the series order.
    static func sortedResult(_ response: Response) -> [String] {
        let result = (response.json["data"] as? [String: Any])?["result"] as? [Any] ?? []
        return result.compactMap { entry in
            (try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        }.sorted()
    }

    static func get(port: Int, _ path: String, token: String? = "token-for-acme") throws -> Response {
        try request("GET", port: port, path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    /// Any method, with the given headers (none: no credentials).
    static func request(_ method: String, port: Int, _ path: String, headers: [String: String]) throws -> Response {
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.request(method: method, host: "127.0.0.1", port: port, path: path, headers: headers, tls: try tls(port: port),
                                  timeoutSeconds: 60, status: { status = $0 }, body: { body += $0 })
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
