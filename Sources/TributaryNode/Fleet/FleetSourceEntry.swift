/// What one node counted of one source (`FleetSourceKey`).
struct FleetSourceEntry: Sendable {
    var tenant: String
    var source: FleetSourceKey
    /// Nanoseconds since the epoch, node clock, when its records arrived.
    var firstSeen: Int64
    var lastSeen: Int64
    var records: UInt64
    /// Records per minute of the node clock: the minute being counted and the one before.
    var minute: Int64
    var thisMinute: UInt64
    var lastMinute: UInt64

    mutating func add(_ count: Int, at now: Int64) {
        let current = now / 60_000_000_000
        if current != minute {
            lastMinute = current == minute + 1 ? thisMinute : 0
            thisMinute = 0
            minute = current
        }
        thisMinute &+= UInt64(count)
        records &+= UInt64(count)
        lastSeen = max(lastSeen, now)
    }

    /// Records in the last full minute, as of `now`.
    func perMinute(at now: Int64) -> UInt64 {
        let current = now / 60_000_000_000
        if current == minute { return lastMinute }
        return current == minute + 1 ? thisMinute : 0
    }
}
