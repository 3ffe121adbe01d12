import Hummingbird

extension NodeAPI {
    /// `POST /loki/api/v1/push`, `/api/v1/write`, `/v1/logs`, `/v1/metrics`
    /// (role `ingest`; the credential's tenant receives the data).
    func push(_ request: Request, as kind: PushProtocol, tenant: String) async -> Response {
        guard let pushReceiver else {
            return APIFailure(.serviceUnavailable, "unavailable", "this node does not accept pushes yet").response
        }
        return await pushReceiver.receive(request, as: kind, tenant: tenant)
    }
}
