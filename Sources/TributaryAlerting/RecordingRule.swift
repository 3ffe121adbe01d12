import TributaryQuery

/// `record: NAME` in a rule group: `expr`'s result at each evaluation is
/// written back to the tenant's storage as series named NAME, with the
/// result's labels plus `labels`.
public struct RecordingRule: Sendable, Equatable {
    public var name: String
    public var expression: String
    public var query: QueryExpr
    public var labels: [(name: String, value: String)] = []

    public init(name: String, expression: String, query: QueryExpr) {
        self.name = name
        self.expression = expression
        self.query = query
    }

    public static func == (lhs: RecordingRule, rhs: RecordingRule) -> Bool {
        lhs.name == rhs.name && lhs.expression == rhs.expression && lhs.labels.map(\.name) == rhs.labels.map(\.name)
            && lhs.labels.map(\.value) == rhs.labels.map(\.value)
    }
}
