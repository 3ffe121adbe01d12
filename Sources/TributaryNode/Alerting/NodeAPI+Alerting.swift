import Foundation
import Hummingbird
import NIOCore
import TributaryAPI

/// `GET /api/v1/alerts` and `GET /api/v1/rules` in Prometheus' shapes,
/// for the credential's tenant. A node without rules answers empty lists.
extension NodeAPI {
    func alerts(_ request: Request, tenant: String) async -> Response {
        let resolved = request.uri.queryParameters.get("resolved").map { $0 == "true" || $0 == "1" } ?? false
        let answer = await rules?.alerts(tenant: tenant, resolved: resolved) ?? AlertsResponse(alerts: [])
        return Self.json(answer)
    }

    func rules(tenant: String) async -> Response {
        Self.json(await rules?.rules(tenant: tenant) ?? RulesResponse(groups: []))
    }

    private static func json<T: Encodable>(_ value: T) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: AlertNotifier.encode(value) + [10])))
    }
}
