/// How a metric sample's value behaves over time.
public enum MetricKind: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// Monotonically increasing (resets to zero on restart); `rate` applies.
    case counter = 0
    /// A value that goes up and down.
    case gauge = 1

    public var description: String { self == .counter ? "counter" : "gauge" }
}
