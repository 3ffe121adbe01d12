import TributaryModel

/// Formats a time (UTC) with a Go layout, for the `date` template
/// function: `2006 06 01 1 Jan January 02 2 _2 15 03 3 04 4 05 5 PM pm
/// Mon Monday MST Z07:00 -0700 -07:00 Z0700 002` and fractional seconds
/// `.000`/`.999` (any length up to 9).
enum GoTimeLayout {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ nanoseconds: Int64, layout: String) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let fraction = nanoseconds - seconds * 1_000_000_000
        let civil = CivilTime.date(ofSeconds: seconds)
        let hour = civil.secondOfDay / 3600, minute = civil.secondOfDay / 60 % 60, second = civil.secondOfDay % 60
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = Int(((days % 7) + 7 + 4) % 7)  // 1970-01-01 was a Thursday.
        let dayOfYear = days - CivilTime.days(year: civil.year, month: 1, day: 1) + 1
        var out = ""
        var rest = Substring(layout)
        let tokens: [(String, () -> String)] = [
            ("January", { months[Int(civil.month) - 1] }),
            ("Monday", { weekdays[weekday] }),
            ("2006", { CivilTime.pad(civil.year, 4) }),
            ("Z07:00", { "Z" }), ("-07:00", { "+00:00" }), ("Z0700", { "Z" }), ("-0700", { "+0000" }),
            ("Jan", { String(months[Int(civil.month) - 1].prefix(3)) }),
            ("Mon", { String(weekdays[weekday].prefix(3)) }),
            ("MST", { "UTC" }),
            ("002", { CivilTime.pad(dayOfYear, 3) }),
            ("01", { CivilTime.pad(civil.month, 2) }), ("02", { CivilTime.pad(civil.day, 2) }), ("_2", { civil.day < 10 ? " \(civil.day)" : "\(civil.day)" }),
            ("06", { CivilTime.pad(civil.year % 100, 2) }),
            ("15", { CivilTime.pad(hour, 2) }), ("03", { CivilTime.pad(hour % 12 == 0 ? 12 : hour % 12, 2) }),
            ("04", { CivilTime.pad(minute, 2) }), ("05", { CivilTime.pad(second, 2) }),
            ("PM", { hour >= 12 ? "PM" : "AM" }), ("pm", { hour >= 12 ? "pm" : "am" }),
            ("1", { String(civil.month) }), ("2", { String(civil.day) }), ("3", { String(hour % 12 == 0 ? 12 : hour % 12) }),
            ("4", { String(minute) }), ("5", { String(second) }),
        ]
        outer: while !rest.isEmpty {
            if rest.hasPrefix(".0") || rest.hasPrefix(".9") || rest.hasPrefix(",0") || rest.hasPrefix(",9") {
                let digit = rest[rest.index(after: rest.startIndex)]
                let run = rest.dropFirst().prefix { $0 == digit }.count
                if run <= 9, rest.dropFirst(run + 1).first.map({ !$0.isNumber }) ?? true {
                    var digits = CivilTime.pad(fraction, 9).prefix(run)
                    if digit == "9" { while digits.hasSuffix("0") { digits = digits.dropLast() } }
                    if !digits.isEmpty { out += String(rest.first ?? ".") + digits }
                    rest = rest.dropFirst(run + 1)
                    continue
                }
            }
            for (token, value) in tokens where rest.hasPrefix(token) {
                out += value()
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }
}
