/// A source's usual rate and when its silence is abnormal (docs/fleet.md):
///
/// - usual interval = (last seen − first seen) / (records − 1), the mean
///   gap between its records since it was first seen;
/// - silent after = max(`fleet.silent_after`, `silent_factor` × usual interval);
/// - a source with fewer than `minimumRecords` records has no baseline
///   and is never reported silent.
///
/// So a switch that sends a few lines a minute is silent after 15 minutes
/// (the default floor), and a job that logs once an hour only after 10
/// hours (10 × its interval).
struct FleetBaseline: Sendable {
    static let minimumRecords: UInt64 = 3

    /// Records per minute between first and last seen.
    let usualPerMinute: Double
    /// Seconds of silence after which the source is silent; nil without a baseline.
    let silentAfterSeconds: Double?
    let silent: Bool

    init(records: UInt64, firstSeen: Int64, lastSeen: Int64, now: Int64, settings: FleetSettings) {
        let span = Double(max(0, lastSeen &- firstSeen)) / 1e9
        usualPerMinute = span > 0 ? Double(records) / span * 60 : 0
        guard records >= Self.minimumRecords, span > 0 else {
            silentAfterSeconds = nil
            silent = false
            return
        }
        let interval = span / Double(records - 1)
        let floor = Double(settings.silentAfter.components.seconds) + Double(settings.silentAfter.components.attoseconds) / 1e18
        let after = max(floor, settings.silentFactor * interval)
        silentAfterSeconds = after
        silent = Double(max(0, now &- lastSeen)) / 1e9 >= after
    }
}
