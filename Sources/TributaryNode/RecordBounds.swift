/// How old or how far ahead a record's timestamp may be when it arrives.
/// Older data is still accepted within the age limit and stored in its own
/// time bucket; beyond the limits a batch is refused permanently.
public struct RecordBounds: Sendable, Equatable {
    /// Nanoseconds before now; default 7 days.
    public var maxAge: Int64 = 7 * 86_400 * 1_000_000_000
    /// Nanoseconds after now; default 10 minutes (clock skew).
    public var maxFuture: Int64 = 600 * 1_000_000_000

    public init(maxAge: Int64 = 7 * 86_400 * 1_000_000_000, maxFuture: Int64 = 600 * 1_000_000_000) {
        self.maxAge = maxAge
        self.maxFuture = maxFuture
    }
}
