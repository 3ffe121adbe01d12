/// `GET /api/v1/incidents`, as the CLI reads it.
public struct IncidentsResponse: Codable, Sendable {
    public struct Data: Codable, Sendable {
        public var incidents: [IncidentStatus]
    }

    public var status: String
    public var data: Data
}
