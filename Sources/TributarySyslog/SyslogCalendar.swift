/// Proleptic Gregorian calendar arithmetic for syslog timestamps.
///
/// Foundation's date parsing costs microseconds per call and allocates.
/// Syslog timestamps are one fixed civil layout, so converting them by hand
/// is a few integer operations. The conversion uses whole 400-year cycles
/// (146 097 days): within a cycle, a year that starts in March puts the
/// leap day last, so day-of-year is a linear function of the month.
///
/// All arithmetic that depends on the input is overflow-checked. A year
/// Int64 nanoseconds cannot represent (before 1677 or after 2262) gives nil
/// rather than a trap.
enum SyslogCalendar {
    static let nanosecondsPerSecond: Int64 = 1_000_000_000
    static let secondsPerDay = 86_400
    /// Days in a 400-year Gregorian cycle.
    static let daysPerEra = 146_097
    /// Days from 0000-03-01 to 1970-01-01.
    static let unixEpochDayOffset = 719_468

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given date. The caller checks that
    /// month and day are valid.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        // Count years from March, so February (and its leap day) is the
        // last month of the counting year.
        let marchYear = month <= 2 ? year - 1 : year
        let era = floorDivide(marchYear, 400)
        let yearOfEra = marchYear - era * 400                      // 0...399
        let marchMonth = month <= 2 ? month + 9 : month - 3        // Mar = 0 ... Feb = 11
        // Mar..Feb month lengths follow 31,30,31,30,31 twice and then 31,28/29.
        // (153 * m + 2) / 5 gives the day of year where month m starts.
        let dayOfYear = (153 * marchMonth + 2) / 5 + day - 1       // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * daysPerEra + dayOfEra - unixEpochDayOffset
    }

    /// The civil (Gregorian) year containing the given day since 1970-01-01.
    static func year(daysSinceEpoch days: Int) -> Int {
        let shifted = days + unixEpochDayOffset
        let era = floorDivide(shifted, daysPerEra)
        let dayOfEra = shifted - era * daysPerEra                  // 0...146096
        // Invert dayOfEra = 365y + y/4 - y/100 (+ y/400 at the cycle's end).
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / (daysPerEra - 1)) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        // January and February belong to the next civil year.
        return yearOfEra + era * 400 + (marchMonth >= 10 ? 1 : 0)
    }

    /// The civil year of an instant in nanoseconds since the epoch.
    static func year(ofNanoseconds nanoseconds: Int64) -> Int {
        let days = floorDivide(nanoseconds, nanosecondsPerSecond * Int64(secondsPerDay))
        return year(daysSinceEpoch: Int(days))
    }

    /// Nanoseconds since the epoch for a civil date and time that is
    /// `offsetSeconds` ahead of UTC. Nil if a field is out of range or the
    /// result does not fit in Int64. A leap second (`:60`) is accepted and
    /// lands on the first second of the next minute.
    static func nanoseconds(
        year: Int, month: Int, day: Int,
        hour: Int, minute: Int, second: Int,
        fraction: Int64, offsetSeconds: Int
    ) -> Int64? {
        guard (0...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= daysInMonth(month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (0..<nanosecondsPerSecond).contains(fraction)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let local = days * secondsPerDay + hour * 3600 + minute * 60 + second
        let (utc, borrowed) = local.subtractingReportingOverflow(offsetSeconds)
        guard !borrowed else { return nil }
        let (scaled, overflowed) = Int64(utc).multipliedReportingOverflow(by: nanosecondsPerSecond)
        guard !overflowed else { return nil }
        let (total, carried) = scaled.addingReportingOverflow(fraction)
        return carried ? nil : total
    }

    /// Division rounding toward negative infinity, so instants and days
    /// before 1970 fall into the right day and era.
    @inline(__always)
    static func floorDivide<T: BinaryInteger>(_ value: T, _ divisor: T) -> T {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
