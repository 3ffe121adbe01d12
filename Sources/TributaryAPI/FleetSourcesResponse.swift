/// `GET /api/v1/fleet/sources`: `{"status":"success","data":{"sources":[…]}}`,
/// sorted by key; `?local=true` for this node's own counts.
public struct FleetSourcesResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var sources: [FleetSource]
        public init(sources: [FleetSource]) { self.sources = sources }
    }

    public var status: String
    public var data: Data
    public var warnings: [String]?

    public init(sources: [FleetSource], warnings: [String]? = nil) {
        status = "success"
        data = Data(sources: sources)
        self.warnings = warnings
    }
}
