/// `GET /api/v1/fleet/audit`: `{"status":"success","data":{"findings":[…]}}`,
/// what is wrong with the fleet's completeness, oldest first.
public struct FleetAuditResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var findings: [FleetFinding]
        public init(findings: [FleetFinding]) { self.findings = findings }
    }

    public var status: String
    public var data: Data
    public var warnings: [String]?

    public init(findings: [FleetFinding], warnings: [String]? = nil) {
        status = "success"
        data = Data(findings: findings)
        self.warnings = warnings
    }
}
