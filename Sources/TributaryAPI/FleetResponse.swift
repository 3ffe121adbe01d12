/// `GET /api/v1/fleet`: `{"status":"success","data":{"agents":[…]}}`, the
/// tenant's agents on every node of the cluster, sorted by id. With
/// `?local=true` only this node's own view (what other nodes ask).
public struct FleetResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var agents: [FleetAgent]
        public init(agents: [FleetAgent]) { self.agents = agents }
    }

    public var status: String
    public var data: Data
    /// Nodes that did not answer (agents connected only to them are missing from the list).
    public var warnings: [String]?

    public init(agents: [FleetAgent], warnings: [String]? = nil) {
        status = "success"
        data = Data(agents: agents)
        self.warnings = warnings
    }
}
