/// One `groups:` entry of a rule file: rules evaluated in order, every
/// `interval`, by one node, for one tenant.
public struct RuleGroup: Sendable, Equatable {
    public var name: String
    /// The rule file it came from (as named in node.yaml, resolved).
    public var file: String
    public var tenant: String
    /// ns between evaluations.
    public var interval: Int64
    public var rules: [RuleKind]
    /// Extra labels of every alert and recorded series (`labels:` of the group).
    public var labels: [(name: String, value: String)] = []
    /// `limit:`: a rule whose expression returns more series than this
    /// fails (its health says so) instead of raising or recording them
    /// all; 0 means no limit (Prometheus' meaning).
    public var limit = 0

    public init(name: String, file: String, tenant: String, interval: Int64, rules: [RuleKind]) {
        self.name = name
        self.file = file
        self.tenant = tenant
        self.interval = interval
        self.rules = rules
    }

    /// The identity a group keeps across reloads and nodes: the tenant,
    /// the file's name and the group's name.
    public var key: String { tenant + "/" + fileName + "/" + name }

    /// The file's last path component.
    public var fileName: String { file.split(separator: "/").last.map(String.init) ?? file }

    public static func == (lhs: RuleGroup, rhs: RuleGroup) -> Bool {
        lhs.name == rhs.name && lhs.file == rhs.file && lhs.tenant == rhs.tenant && lhs.interval == rhs.interval && lhs.rules == rhs.rules
            && lhs.labels.map(\.name) == rhs.labels.map(\.name) && lhs.labels.map(\.value) == rhs.labels.map(\.value) && lhs.limit == rhs.limit
    }
}
