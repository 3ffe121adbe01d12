import Foundation
import TributaryAPI
import TributaryHTTPClient

/// One call of `/api/v1/fleet/config…` for the `trib fleet config`
/// commands: the answer's body when the node says 200, else the node's
/// error message as a `QueryFailed`.
struct FleetConfigRequest {
    let address: NodeHTTPOptions

    func send(_ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil) throws -> Data {
        let endpoint = try address.endpoint(purpose: "a token with the admin role")
        var headers = endpoint.headers
        if let contentType { headers["Content-Type"] = contentType }
        var code = 0
        var answer: [UInt8] = []
        try HTTPGetClient.request(method: method, host: endpoint.host, port: endpoint.port, path: path, headers: headers, requestBody: body,
                                  tls: endpoint.tls, timeoutSeconds: 60, status: { code = $0 }, body: { answer += $0 })
        let text = String(decoding: answer, as: UTF8.self)
        guard code == 200 else { throw QueryFailed(message: "\(address.node) answered \(code): \(QueryFailed.errorText(text))") }
        return Data(answer)
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ data: Data) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw QueryFailed(message: "\(address.node) did not answer the expected JSON: \(error)")
        }
    }

    static func path(_ group: String, _ suffix: String = "") -> String {
        "/api/v1/fleet/config/" + (group.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? group) + suffix
    }

    /// `10%` or `10` → 10.
    static func percent(_ text: String) -> Int? {
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Int(digits), (1...100).contains(value) else { return nil }
        return value
    }
}
