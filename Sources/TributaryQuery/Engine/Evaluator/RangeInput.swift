/// The argument of a range function (`rate(x[5m] offset 1m @ t)`,
/// `max_over_time(expr[1h:5m])`): the series and how each step's window
/// is placed. The window of a step at time t is (e − range, e] where
/// e = (at ?? t) − offset.
struct RangeInput {
    var series: [RangeSeries]
    var range: Int64
    var offset: Int64
    var at: Int64?

    @inline(__always)
    func windowEnd(at time: Int64) -> Int64 { (at ?? time) &- offset }
}
