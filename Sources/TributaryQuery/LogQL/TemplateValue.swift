import TributaryModel

/// A value inside a `line_format`/`label_format` template: what Go's
/// text/template would hold for Loki's functions (label values are strings).
enum TemplateValue: Equatable {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    /// Nanoseconds since the epoch (`__timestamp__`, `unixToTime`).
    case time(Int64)
    case none

    /// Go's `fmt.Print` form.
    var text: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .float(let value): return Self.formatFloat(value)
        case .bool(let value): return value ? "true" : "false"
        case .time(let value): return Self.goTimeString(value)
        case .none: return "<no value>"
        }
    }

    /// Go's truth: false, 0, "" and nil are false.
    var isTrue: Bool {
        switch self {
        case .string(let value): return !value.isEmpty
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .bool(let value): return value
        case .time: return true
        case .none: return false
        }
    }

    /// Sprig's `toInt64` (a string that is not a number is 0).
    var int: Int64 {
        switch self {
        case .string(let value): return Int64(value) ?? Double(value).flatMap { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : nil } ?? 0
        case .int(let value): return value
        case .float(let value): return value.isFinite && abs(value) < 9.2e18 ? Int64(value) : 0
        case .bool(let value): return value ? 1 : 0
        case .time(let value): return value / 1_000_000_000
        case .none: return 0
        }
    }

    /// Sprig's `toFloat64`.
    var float: Double {
        switch self {
        case .string(let value): return Double(value) ?? 0
        case .int(let value): return Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .time(let value): return Double(value) / 1e9
        case .none: return 0
        }
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`, Go's `%v` for floats:
    /// shortest digits, exponent form below 1e-4 and from 1e21.
    static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description has the shortest round-trip digits.
        var text = "\(abs(value))"
        var exponentPart = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponentPart = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var integerPart = text, fractionPart = ""
        if let dot = text.firstIndex(of: ".") {
            integerPart = String(text[..<dot])
            fractionPart = String(text[text.index(after: dot)...])
        }
        var digits = integerPart + fractionPart
        var point = integerPart.count + exponentPart
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let exponent = point - 1
        let sign = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 21 {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Go's `time.Time.String()` in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
    static func goTimeString(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let fraction = nanoseconds - seconds * 1_000_000_000
        let civil = CivilTime.date(ofSeconds: seconds)
        var text = "\(CivilTime.pad(civil.year, 4))-\(CivilTime.pad(civil.month, 2))-\(CivilTime.pad(civil.day, 2)) "
        text += "\(CivilTime.pad(civil.secondOfDay / 3600, 2)):\(CivilTime.pad(civil.secondOfDay / 60 % 60, 2)):\(CivilTime.pad(civil.secondOfDay % 60, 2))"
        if fraction > 0 {
            var digits = CivilTime.pad(fraction, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + " +0000 UTC"
    }
}
