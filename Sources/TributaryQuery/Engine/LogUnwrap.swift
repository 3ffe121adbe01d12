/// `| unwrap latency`, `| unwrap duration(latency)`, `| unwrap bytes(size)`,
/// optionally followed by label filters applied after it
/// (`| unwrap latency | __error__=""`).
public struct LogUnwrap: Sendable, Equatable {
    public enum Conversion: String, Sendable {
        /// The label's value as a float.
        case none
        /// `duration(x)` / `duration_seconds(x)`: a Go duration (`1.5s`, `250ms`) in seconds.
        case duration
        case durationSeconds = "duration_seconds"
        /// `bytes(x)`: `20MB`, `1KiB` in bytes.
        case bytes
    }

    public var label: String
    public var conversion: Conversion
    public var filters: [LabelFilterExpr]

    public init(label: String, conversion: Conversion = .none, filters: [LabelFilterExpr] = []) {
        self.label = label
        self.conversion = conversion
        self.filters = filters
    }
}
