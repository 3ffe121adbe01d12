import TributaryQuery

/// `alert: NAME` in a rule group: while `expr` returns series, each one is
/// an alert, pending for `for`, then firing, kept firing `keep_firing_for`
/// after it stops, with templated `labels` and `annotations`.
public struct AlertingRule: Sendable, Equatable {
    public var name: String
    public var expression: String
    public var query: QueryExpr
    /// ns; 0 fires at the first evaluation that returns the series.
    public var holdDuration: Int64 = 0
    /// ns; 0 resolves at the first evaluation without the series.
    public var keepFiringFor: Int64 = 0
    /// Added to each alert's labels (values may be templates).
    public var labels: [(name: String, value: AlertTemplate)] = []
    /// Rendered for each alert (values are templates). An incident builder
    /// may add its own (e.g. `explanation`) before notifications go out.
    public var annotations: [(name: String, value: AlertTemplate)] = []
    /// Set for `anomaly:` and `trend:` rules: the series the detector
    /// reports take the place of `expr`'s result; `expression` and `query`
    /// are then the detector's expression.
    public var detector: AlertDetector?

    public init(name: String, expression: String, query: QueryExpr) {
        self.name = name
        self.expression = expression
        self.query = query
    }

    public static func == (lhs: AlertingRule, rhs: AlertingRule) -> Bool {
        lhs.name == rhs.name && lhs.expression == rhs.expression && lhs.holdDuration == rhs.holdDuration
            && lhs.keepFiringFor == rhs.keepFiringFor && lhs.labels.map(\.name) == rhs.labels.map(\.name)
            && lhs.labels.map(\.value) == rhs.labels.map(\.value) && lhs.annotations.map(\.name) == rhs.annotations.map(\.name)
            && lhs.annotations.map(\.value) == rhs.annotations.map(\.value) && lhs.detector == rhs.detector
    }
}
