/// Timestamps of push requests to nanoseconds since the epoch, with
/// checked arithmetic: a hostile value is a 400, never a trap.
enum PushTime {
    static func nanoseconds(seconds: Int64, nanos: Int32, what: String) throws(PushError) -> Int64 {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflow2) = scaled.addingReportingOverflow(Int64(nanos))
        guard !overflow, !overflow2 else {
            throw .badRequest("\(what): timestamp \(seconds)s is outside the range of nanosecond timestamps (years 1678–2262)")
        }
        return sum
    }

    static func nanoseconds(milliseconds: Int64, what: String) throws(PushError) -> Int64 {
        let (scaled, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else {
            throw .badRequest("\(what): timestamp \(milliseconds)ms is outside the range of nanosecond timestamps (years 1678–2262)")
        }
        return scaled
    }

    static func nanoseconds(unsigned value: UInt64, what: String) throws(PushError) -> Int64 {
        guard value <= UInt64(Int64.max) else {
            throw .badRequest("\(what): timestamp \(value)ns is outside the range of nanosecond timestamps (years 1678–2262)")
        }
        return Int64(value)
    }
}
