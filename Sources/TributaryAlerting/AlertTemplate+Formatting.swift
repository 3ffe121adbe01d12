import Foundation

extension AlertTemplate {
    /// Go's `%v` of a float64 (`strconv.FormatFloat(v, 'g', -1, 64)` with
    /// Go's exponent spelling): `3`, `0.25`, `1e+21`, `NaN`, `+Inf`.
    static func goFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e21 { return String(format: "%.0f", value) }
        let exponent = value == 0 ? 0 : Int(floor(log10(abs(value))))
        if exponent < -4 || exponent >= 21 {
            var text = "\(value)"
            if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                var mantissa = String(text[..<e])
                var power = String(text[text.index(after: e)...])
                if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
                let negative = power.hasPrefix("-")
                power = power.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
                if power.count < 2 { power = "0" + power }
                text = mantissa + "e" + (negative ? "-" : "+") + power
            }
            return text
        }
        return "\(value)"
    }

    static func cFormat(_ format: String, _ value: Double) -> String {
        String(format: format, value)
    }

    /// Prometheus' `humanize`: SI prefixes (`1.235k`, `12.5m`), four
    /// significant digits; `humanize1024` with binary prefixes (`1Ki`).
    static func humanize(_ value: Double, base: Double) -> String {
        if value == 0 || value.isNaN || value.isInfinite { return cFormat("%.4g", value) }
        if base == 1024 {
            guard abs(value) >= 1 else { return cFormat("%.4g", value) }
            var scaled = value
            var prefix = ""
            for next in ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] where abs(scaled) >= 1024 {
                scaled /= 1024
                prefix = next
            }
            return cFormat("%.4g", scaled) + prefix
        }
        var scaled = value
        var prefix = ""
        if abs(value) >= 1 {
            for next in ["k", "M", "G", "T", "P", "E", "Z", "Y"] where abs(scaled) >= 1000 {
                scaled /= 1000
                prefix = next
            }
        } else {
            for next in ["m", "u", "n", "p", "f", "a", "z", "y"] where abs(scaled) < 1 {
                scaled *= 1000
                prefix = next
            }
        }
        return cFormat("%.4g", scaled) + prefix
    }

    /// Prometheus' `humanizeDuration` of seconds: `1d 2h 3m 4s`, `1.5s`, `250ms`.
    static func humanizeDuration(_ seconds: Double) -> String {
        if seconds.isNaN || seconds.isInfinite { return cFormat("%.4g", seconds) }
        if abs(seconds) >= 1 {
            let sign = seconds < 0 ? "-" : ""
            let whole = abs(seconds)
            guard whole < 1e15 else { return cFormat("%.4g", seconds) + "s" }
            let days = Int(whole) / 86_400
            let hours = Int(whole) / 3_600 % 24
            let minutes = Int(whole) / 60 % 60
            let rest = whole.truncatingRemainder(dividingBy: 60)
            if days != 0 { return sign + "\(days)d \(hours)h \(minutes)m \(Int(rest))s" }
            if hours != 0 { return sign + "\(hours)h \(minutes)m \(Int(rest))s" }
            if minutes != 0 { return sign + "\(minutes)m \(Int(rest))s" }
            return sign + cFormat("%.4g", rest) + "s"
        }
        if seconds == 0 { return "0s" }
        var scaled = seconds
        var prefix = ""
        for next in ["m", "u", "n", "p", "f", "a", "z", "y"] where abs(scaled) < 1 {
            scaled *= 1000
            prefix = next
        }
        return cFormat("%.4g", scaled) + prefix + "s"
    }

    /// Go's `printf` for the verbs people use in alert texts: `%s %v %q
    /// %d %f %e %g %%` with flags, width and precision.
    static func printf(_ format: String, _ arguments: [Value]) -> String {
        var output = ""
        var next = 0
        var characters = Array(format)[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                output.append(character)
                continue
            }
            var spec = "%"
            while let flag = characters.first, "+-# 0".contains(flag) { spec.append(flag); characters.removeFirst() }
            // Width and precision of at most two digits: a template cannot ask for a gigabyte of padding.
            var digits = 0
            while let digit = characters.first, digit.isNumber {
                characters.removeFirst()
                digits += 1
                if digits <= 2 { spec.append(digit) }
            }
            if characters.first == "." {
                spec.append(characters.removeFirst())
                digits = 0
                while let digit = characters.first, digit.isNumber {
                    characters.removeFirst()
                    digits += 1
                    if digits <= 2 { spec.append(digit) }
                }
            }
            guard let verb = characters.popFirst() else {
                output += "%!(NOVERB)"
                break
            }
            if verb == "%" {
                output.append("%")
                continue
            }
            guard next < arguments.count else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            let argument = arguments[next]
            next += 1
            switch verb {
            case "f", "F", "e", "E", "g", "G":
                if let number = argument.number {
                    output += cFormat(spec + String(verb), number)
                } else {
                    output += "%!\(verb)(string=\(argument.text))"
                }
            case "d":
                if let number = argument.number, number == number.rounded(), abs(number) < 9.2e18 {
                    output += String(format: spec + "lld", Int64(number))
                } else {
                    output += "%!d(\(argument.text))"
                }
            case "s", "v":
                output += pad(argument.text, spec)
            case "q":
                output += pad("\"" + argument.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"", spec)
            default:
                output += "%!\(verb)(\(argument.text))"
            }
        }
        if next < arguments.count {
            output += "%!(EXTRA " + arguments[next...].map(\.text).joined(separator: ", ") + ")"
        }
        return output
    }

    /// Width from a `%-10s`-style spec, applied to text.
    private static func pad(_ text: String, _ spec: String) -> String {
        let left = spec.contains("-")
        let widthPart = spec.prefix { $0 != "." }
        let digits = widthPart.drop { !$0.isNumber || $0 == "0" }.prefix { $0.isNumber }
        guard let width = Int(digits), width > text.count, width < 1024 else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return left ? text + padding : padding + text
    }
}

extension AlertTemplate {
    /// A value as Go's `%v` prints it (`3`, `0.25`, `NaN`), for listings.
    public static func goFloatText(_ value: Double) -> String { goFloat(value) }
}
