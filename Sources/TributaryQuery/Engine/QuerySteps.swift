/// The evaluation times of a query: start, start + step, … ≤ end (ns).
/// An instant query is `start == end`.
public struct QuerySteps: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    /// > 0.
    public var step: Int64

    public init(start: Int64, end: Int64, step: Int64) {
        self.start = start
        self.end = end
        self.step = step
    }

    public static func instant(_ time: Int64) -> QuerySteps {
        QuerySteps(start: time, end: time, step: 1)
    }

    /// How many times; the caller has checked that it is small (≤ 11,000).
    public var count: Int { Int((end - start) / step) + 1 }

    public func time(_ index: Int) -> Int64 { start + Int64(index) * step }
}
