/// A LogQL range aggregation over the lines of a log selector:
/// `rate({app="api"} |= "error" [5m])`,
/// `sum_over_time({app="api"} | logfmt | unwrap bytes(size) [1m]) by (host)`,
/// `quantile_over_time(0.99, {…} | json | unwrap duration(latency) [5m])`.
public struct LogRangeExpr: Sendable, Equatable {
    public enum Function: String, Sendable, CaseIterable {
        case countOverTime = "count_over_time"
        case rate
        case bytesOverTime = "bytes_over_time"
        case bytesRate = "bytes_rate"
        case absentOverTime = "absent_over_time"
        // The rest need `| unwrap`.
        case sumOverTime = "sum_over_time"
        case avgOverTime = "avg_over_time"
        case minOverTime = "min_over_time"
        case maxOverTime = "max_over_time"
        case stdvarOverTime = "stdvar_over_time"
        case stddevOverTime = "stddev_over_time"
        case quantileOverTime = "quantile_over_time"
        case firstOverTime = "first_over_time"
        case lastOverTime = "last_over_time"
        case rateCounter = "rate_counter"

        /// Whether the function reads an unwrapped value (rate reads one when given).
        public var needsUnwrap: Bool {
            switch self {
            case .countOverTime, .rate, .bytesOverTime, .bytesRate, .absentOverTime: return false
            default: return true
            }
        }
    }

    public var function: Function
    public var selector: LogSelectorExpr
    /// ns.
    public var range: Int64
    /// ns.
    public var offset: Int64
    public var unwrap: LogUnwrap?
    /// `quantile_over_time`'s φ.
    public var parameter: Double?
    /// `… by (host)` / `… without (pod)` written after an unwrapped range
    /// aggregation; nil when not written (every label set is kept).
    public var grouping: [String]?
    public var without: Bool

    public init(function: Function, selector: LogSelectorExpr, range: Int64, offset: Int64 = 0, unwrap: LogUnwrap? = nil,
                parameter: Double? = nil, grouping: [String]? = nil, without: Bool = false) {
        self.function = function
        self.selector = selector
        self.range = range
        self.offset = offset
        self.unwrap = unwrap
        self.parameter = parameter
        self.grouping = grouping
        self.without = without
    }
}
