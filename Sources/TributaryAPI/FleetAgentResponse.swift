/// `GET /api/v1/fleet/agents/{id}`: `{"status":"success","data":{…agent…}}`.
public struct FleetAgentResponse: Codable, Sendable, Equatable {
    public var status: String
    public var data: FleetAgent
    public var warnings: [String]?

    public init(agent: FleetAgent, warnings: [String]? = nil) {
        status = "success"
        data = agent
        self.warnings = warnings
    }
}
