/// Durations as Prometheus rule files write them (`model.ParseDuration`):
/// whole numbers with the units `y w d h m s ms`, each at most once and
/// largest first (`1h30m`, `90s`, `250ms`), plus `0`. A year is 365 days.
/// Checked arithmetic: more than 100 years is refused, never a trap.
public enum PrometheusDuration {
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("y", 31_536_000_000_000_000), ("w", 604_800_000_000_000), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000),
        ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ]
    private static let maximum: Int64 = 100 * 31_536_000_000_000_000

    /// Nanoseconds, or nil when `text` is not such a duration.
    public static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            guard let index = units.firstIndex(where: { $0.name == unit }), index >= nextUnit else { return nil }
            rest = rest.dropFirst(unit.count)
            nextUnit = index + 1
            let (scaled, overflow) = value.multipliedReportingOverflow(by: units[index].nanoseconds)
            let (sum, overflowAgain) = total.addingReportingOverflow(scaled)
            guard !overflow, !overflowAgain, sum <= maximum else { return nil }
            total = sum
        }
        return total
    }

    /// `1h30m`, `15s`, `0s`: the shortest spelling of whole milliseconds.
    public static func format(_ nanoseconds: Int64) -> String {
        guard nanoseconds > 0 else { return "0s" }
        var rest = nanoseconds / 1_000_000 * 1_000_000
        var text = ""
        for (name, size) in units where rest >= size && name != "y" && name != "w" {
            text += "\(rest / size)\(name)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
