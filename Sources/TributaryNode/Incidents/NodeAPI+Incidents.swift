import Hummingbird

extension NodeAPI {
    /// `GET /api/v1/incidents`: this node's incidents of the tenant (in a
    /// cluster, those raised by the groups this node evaluates).
    func incidents(tenant: String) async -> Response {
        Response.json(IncidentsResponse(incidents: await rules?.incidents?.incidents(tenant: tenant) ?? []))
    }
}
