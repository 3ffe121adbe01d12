import TributaryModel

/// Times in explanations: `14:02` (UTC), with the date when it is not the
/// day of `reference` (`2026-11-03 14:02`).
enum ClockText {
    static func format(_ time: Int64, reference: Int64) -> String {
        let seconds = time / 1_000_000_000 - (time < 0 && time % 1_000_000_000 != 0 ? 1 : 0)
        let date = CivilTime.date(ofSeconds: seconds)
        let clock = CivilTime.pad(date.secondOfDay / 3_600, 2) + ":" + CivilTime.pad(date.secondOfDay / 60 % 60, 2)
        let other = CivilTime.date(ofSeconds: reference / 1_000_000_000)
        if other.year == date.year, other.month == date.month, other.day == date.day { return clock }
        return "\(date.year)-\(CivilTime.pad(date.month, 2))-\(CivilTime.pad(date.day, 2)) \(clock)"
    }
}
