/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %f %e %g %q
/// %x %X %t %%`, with flags `-`, `0`, `+`, space, a width and a precision.
/// A missing argument prints `%!v(MISSING)` as Go does.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        let scalars = Array(format.unicodeScalars)
        var out = ""
        var index = 0
        var argument = 0
        while index < scalars.count {
            guard scalars[index] == "%" else {
                out.unicodeScalars.append(scalars[index])
                index += 1
                continue
            }
            index += 1
            var leftAlign = false, zeroPad = false, plus = false, space = false
            while index < scalars.count, "-0+ #".unicodeScalars.contains(scalars[index]) {
                switch scalars[index] {
                case "-": leftAlign = true
                case "0": zeroPad = true
                case "+": plus = true
                case " ": space = true
                default: break
                }
                index += 1
            }
            var width = 0
            while index < scalars.count, let digit = scalars[index].properties.numericType != nil ? Int(String(scalars[index])) : nil {
                width = min(width * 10 + digit, 4096)
                index += 1
            }
            var precision: Int? = nil
            if index < scalars.count, scalars[index] == "." {
                index += 1
                var value = 0
                while index < scalars.count, let digit = Int(String(scalars[index])) {
                    value = min(value * 10 + digit, 64)
                    index += 1
                }
                precision = value
            }
            guard index < scalars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = scalars[index]
            index += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argument < arguments.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let value = arguments[argument]
            argument += 1
            var text: String
            switch verb {
            case "s", "v":
                text = value.text
                if let precision, verb == "s" { text = String(text.unicodeScalars.prefix(precision).map(Character.init)) }
            case "q":
                text = quote(value.text)
            case "d":
                text = String(value.int)
                if plus, value.int >= 0 { text = "+" + text } else if space, value.int >= 0 { text = " " + text }
            case "t":
                text = value.isTrue ? "true" : "false"
            case "x", "X":
                if case .string(let string) = value {
                    text = string.utf8.map { byte in
                        let digits = String(byte, radix: 16, uppercase: verb == "X")
                        return digits.count == 1 ? "0" + digits : digits
                    }.joined()
                } else {
                    let number = value.int
                    text = (number < 0 ? "-" : "") + String(number.magnitude, radix: 16, uppercase: verb == "X")
                }
            case "f", "F", "e", "g":
                text = formatFloat(value.float, verb: verb, precision: precision)
                if plus, value.float >= 0 { text = "+" + text } else if space, value.float >= 0 { text = " " + text }
            default:
                text = "%!\(verb)(\(value.text))"
            }
            let length = text.unicodeScalars.count
            if width > length {
                let padding = width - length
                if leftAlign {
                    text += String(repeating: " ", count: padding)
                } else if zeroPad, "dfFeg".unicodeScalars.contains(verb) {
                    let negative = text.hasPrefix("-") || text.hasPrefix("+")
                    let sign = negative ? String(text.prefix(1)) : ""
                    text = sign + String(repeating: "0", count: padding) + (negative ? String(text.dropFirst()) : text)
                } else {
                    text = String(repeating: " ", count: padding) + text
                }
            }
            out += text
        }
        if argument < arguments.count {
            out += "%!(EXTRA " + arguments[argument...].map { "\(typeName($0))=\($0.text)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .string: return "string"
        case .int: return "int"
        case .float: return "float64"
        case .bool: return "bool"
        case .time: return "time.Time"
        case .none: return "<nil>"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count == 1 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `%f` (default precision 6), `%e`, `%g` (shortest when no precision).
    static func formatFloat(_ value: Double, verb: Unicode.Scalar, precision: Int?) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        switch verb {
        case "e":
            let digits = precision ?? 6
            guard value != 0 else { return "0" + (digits > 0 ? "." + String(repeating: "0", count: digits) : "") + "e+00" }
            var exponent = Int((abs(value)).exponentBase10)
            var mantissa = abs(value) / power10(exponent)
            var rounded = fixed(mantissa, digits)
            if rounded.hasPrefix("10") {
                exponent += 1
                mantissa = abs(value) / power10(exponent)
                rounded = fixed(mantissa, digits)
            }
            let magnitude = abs(exponent)
            return (value < 0 ? "-" : "") + rounded + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        case "g":
            return TemplateValue.formatFloat(value)
        default:
            return (value < 0 ? "-" : "") + fixed(abs(value), precision ?? 6)
        }
    }

    /// A non-negative value with `digits` decimals, rounded half to even on
    /// the exact binary value (close to Go's output for ordinary inputs).
    private static func fixed(_ value: Double, _ digits: Int) -> String {
        let scale = power10(digits)
        let scaled = (value * scale).rounded(.toNearestOrEven)
        guard scaled < 9e18 else { return TemplateValue.formatFloat(value) }
        let integer = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = String(integer / divisor)
        guard digits > 0 else { return whole }
        let fraction = String(integer % divisor)
        return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    private static func power10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
