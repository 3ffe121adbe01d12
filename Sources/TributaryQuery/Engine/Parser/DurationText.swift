/// Durations as the two languages write them, in nanoseconds.
///
/// - Prometheus (`model.ParseDuration`), for ranges, offsets, steps and
///   durations used as numbers: integers with the units `y w d h m s ms`,
///   each at most once and largest first (`1h30m`, `250ms`, `1y2w`); a
///   year is 365 days.
/// - Go (`time.ParseDuration`), which LogQL label filters also accept:
///   decimals with `h m s ms us µs ns` (`1.5s`, `1h2m`, `300us`).
///
/// Both refuse more than 200 years (checked arithmetic, never a trap).
enum DurationText {
    private static let prometheusUnits: [(String, Int64)] = [
        ("y", 31_536_000_000_000_000), ("w", 604_800_000_000_000), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000),
        ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ]

    enum Failure: Error, Equatable {
        case malformed
        case tooLong
    }

    static func prometheus(_ text: String) -> Result<Int64, Failure> {
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        guard !rest.isEmpty else { return .failure(.malformed) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return .failure(.malformed) }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unitIndex = prometheusUnits.firstIndex(where: { $0.0 == unitText }), unitIndex >= nextUnit else {
                return .failure(.malformed)
            }
            rest = rest.dropFirst(unitText.count)
            nextUnit = unitIndex + 1
            guard let value = Int64(digits) else { return .failure(.tooLong) }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: prometheusUnits[unitIndex].1)
            let (sum, overflowAgain) = total.addingReportingOverflow(scaled)
            guard !overflow, !overflowAgain, sum <= NumberText.maximumDuration else { return .failure(.tooLong) }
            total = sum
        }
        return .success(total)
    }

    private static let goUnits: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Go's syntax without a sign (the parser reads a leading `-`).
    static func go(_ text: String) -> Result<Int64, Failure> {
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { return .failure(.malformed) }
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return .failure(.malformed) }
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = goUnits.first(where: { $0.0 == unitText })?.1 else { return .failure(.malformed) }
            rest = rest.dropFirst(unitText.count)
            guard let wholeValue = whole.isEmpty ? 0 : Int64(whole) else { return .failure(.tooLong) }
            var (value, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
            // The fraction, digit by digit, to the nanosecond.
            var scale = unit
            for digit in fraction where scale > 1 {
                scale /= 10
                let (added, overflowed) = value.addingReportingOverflow(Int64(digit.wholeNumberValue ?? 0) * scale)
                value = added
                overflow = overflow || overflowed
            }
            let (sum, overflowAgain) = total.addingReportingOverflow(value)
            overflow = overflow || overflowAgain
            guard !overflow, sum <= NumberText.maximumDuration else { return .failure(.tooLong) }
            total = sum
        }
        return .success(total)
    }

    /// LogQL's reading of a duration literal: Prometheus' syntax first, then Go's.
    static func logQL(_ text: String) -> Result<Int64, Failure> {
        let prometheusResult = prometheus(text)
        if case .success = prometheusResult { return prometheusResult }
        let goResult = go(text)
        if case .failure(.malformed) = goResult, case .failure(.tooLong) = prometheusResult { return prometheusResult }
        return goResult
    }

    /// Prometheus' spelling (`1h30m`, `250ms`, `0s`, `-5m`) when `nanoseconds`
    /// is whole milliseconds; otherwise seconds as a decimal number
    /// (`0.0000015`), which PromQL also reads in every duration position.
    static func prometheusText(_ nanoseconds: Int64) -> String {
        if nanoseconds < 0 { return "-" + prometheusText(0 - nanoseconds) }
        if nanoseconds == 0 { return "0s" }
        guard nanoseconds % 1_000_000 == 0 else { return QueryTextFormat.seconds(nanoseconds) }
        var rest = nanoseconds
        var text = ""
        for (unit, size) in prometheusUnits where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// Go's spelling with the units both readers share (`1h2m3s`, `1s500ms`,
    /// `1us500ns`).
    static func goText(_ nanoseconds: Int64) -> String {
        if nanoseconds < 0 { return "-" + goText(0 - nanoseconds) }
        if nanoseconds == 0 { return "0s" }
        var rest = nanoseconds
        var text = ""
        for (unit, size) in [("h", Int64(3_600_000_000_000)), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)]
        where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
