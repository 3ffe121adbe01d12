/// A metric query's time parameters that cannot be evaluated.
///
/// Times are nanoseconds since the epoch, durations nanoseconds; the
/// messages show durations in the largest whole unit.
public enum MetricEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step between output points is zero or negative.
    case nonPositiveStep(Int64)
    /// The end of the time range is before its start.
    case endBeforeStart(start: Int64, end: Int64)
    /// `start…end` every `step` gives more than `limit` points per series.
    case tooManyPoints(start: Int64, end: Int64, step: Int64, limit: Int)

    public var description: String {
        switch self {
        case .nonPositiveStep(let step):
            return "the query step must be greater than zero, got \(Self.duration(step)); use a step such as 15s"
        case .endBeforeStart(let start, let end):
            return "the query ends (\(end) ns) before it starts (\(start) ns); swap start and end or choose a later end"
        case .tooManyPoints(let start, let end, let step, let limit):
            // end ≥ start here, so the span fits in UInt64 even when end - start overflows Int64.
            let span = UInt64(bitPattern: end &- start)
            let (points, overflow) = (span / UInt64(step)).addingReportingOverflow(1)
            let count = overflow ? "more than \(UInt64.max)" : "\(points)"
            var advice = "choose a shorter time range"
            if limit > 1 {
                // limit points need limit - 1 steps; rounding up keeps the point count within the limit.
                let (quotient, remainder) = span.quotientAndRemainder(dividingBy: UInt64(limit - 1))
                let minimum = quotient + (remainder == 0 ? 0 : 1)
                advice = "use a step of at least \(Self.duration(Self.roundedUp(minimum))) or " + advice
            }
            return "the query would return \(count) points per series (every \(Self.duration(step)) from \(start) ns to \(end) ns), more than the limit of \(limit); \(advice)"
        }
    }

    /// Rounds a suggested step up to a whole second or millisecond, so the
    /// advice is a duration a user would type.
    private static func roundedUp(_ nanoseconds: UInt64) -> Int64 {
        let unit: UInt64 = nanoseconds >= 1_000_000_000 ? 1_000_000_000 : nanoseconds >= 1_000_000 ? 1_000_000 : 1
        let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: unit)
        let rounded = (quotient + (remainder == 0 ? 0 : 1)).multipliedReportingOverflow(by: unit)
        return rounded.overflow || rounded.partialValue > UInt64(Int64.max) ? Int64.max : Int64(rounded.partialValue)
    }

    /// `15s`, `250ms` or `7ns`: the largest unit that divides `nanoseconds`.
    private static func duration(_ nanoseconds: Int64) -> String {
        if nanoseconds != 0, nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds != 0, nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        return "\(nanoseconds)ns"
    }
}
