/// `GET /api/v1/rules`: `{"status":"success","data":{"groups":[…]}}`.
public struct RulesResponse: Codable, Sendable, Equatable {
    public struct Data: Codable, Sendable, Equatable {
        public var groups: [RuleGroupStatus]
        public init(groups: [RuleGroupStatus]) { self.groups = groups }
    }

    public var status: String
    public var data: Data

    public init(groups: [RuleGroupStatus]) {
        status = "success"
        data = Data(groups: groups)
    }
}
