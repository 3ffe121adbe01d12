extension CivilTime {
    /// RFC 3339 in UTC to the second (`2026-11-22T06:00:00Z`), for any
    /// Int64 of nanoseconds, Int64.min included.
    public static func rfc3339(nanoseconds: Int64) -> String {
        // Floor division that cannot overflow.
        let seconds = nanoseconds / 1_000_000_000 - (nanoseconds % 1_000_000_000 < 0 ? 1 : 0)
        let (year, month, day, secondOfDay) = date(ofSeconds: seconds)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }
}
