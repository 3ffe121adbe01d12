import TributaryModel

/// The date functions (`hour(v)`, `day_of_week()`, …): a part of a Unix time
/// in seconds, in UTC.
enum DatePart: String {
    case daysInMonth = "days_in_month", dayOfMonth = "day_of_month", dayOfWeek = "day_of_week", dayOfYear = "day_of_year"
    case hour, minute, month, year

    func value(ofSeconds seconds: Int64) -> Double {
        let (year, month, day, secondOfDay) = CivilTime.date(ofSeconds: seconds)
        switch self {
        case .daysInMonth: return Double(QueryTime.daysIn(month: month, year: year))
        case .dayOfMonth: return Double(day)
        case .dayOfWeek:
            // 1970-01-01 was a Thursday (4); Sunday is 0.
            let days = CivilTime.days(year: year, month: month, day: day)
            return Double(((days % 7) + 11) % 7)
        case .dayOfYear: return Double(CivilTime.days(year: year, month: month, day: day) - CivilTime.days(year: year, month: 1, day: 1) + 1)
        case .hour: return Double(secondOfDay / 3600)
        case .minute: return Double(secondOfDay % 3600 / 60)
        case .month: return Double(month)
        case .year: return Double(year)
        }
    }
}
