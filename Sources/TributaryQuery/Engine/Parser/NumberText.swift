/// PromQL number literals as Prometheus reads them: decimal, exponent,
/// hex (`0x1f`), octal with a leading zero (`010` is 8, as Go's
/// `ParseInt(s, 0, 64)`), `_` between digits; and their conversion to
/// nanoseconds when a number stands for seconds (`offset 1.5`, `[90]`).
enum NumberText {
    /// The value, or nil when `text` is not a number.
    static func parse(_ text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return nil }
        if scalars.count > 2, first == "0", scalars[1] == "x" || scalars[1] == "X" {
            var digits = Array(scalars[2...])
            if digits.first == "_" { digits.removeFirst() }
            guard let cleaned = withoutSeparators(digits, isDigit: { Character($0).isHexDigit }) else { return nil }
            guard let value = Int64(cleaned, radix: 16) else { return nil }
            return Double(value)
        }
        guard let cleaned = withoutSeparators(scalars, isDigit: { $0 >= "0" && $0 <= "9" }) else { return nil }
        // Only digits, dots, one exponent with an optional sign.
        guard cleaned.unicodeScalars.allSatisfy({ ($0 >= "0" && $0 <= "9") || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }) else {
            return nil
        }
        if cleaned.count > 1, cleaned.hasPrefix("0"), cleaned.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "7" }), let octal = Int64(cleaned, radix: 8) {
            return Double(octal)
        }
        if let integer = Int64(cleaned) { return Double(integer) }
        guard cleaned.unicodeScalars.contains(where: { $0 >= "0" && $0 <= "9" }), let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// Whether `text` is written like a number (hex, or digits, dots, `_`
    /// and an exponent) rather than a number with a unit (`5m`, `20MB`).
    static func looksNumeric(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        if scalars.count > 2, scalars[0] == "0", scalars[1] == "x" || scalars[1] == "X" {
            return scalars[2...].allSatisfy { Character($0).isHexDigit || $0 == "_" }
        }
        return scalars.allSatisfy { ($0 >= "0" && $0 <= "9") || $0 == "." || $0 == "_" || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }
    }

    /// Why `parse` refused a text that `looksNumeric`.
    static func failure(_ text: String) -> String {
        let digits = text.filter { $0 != "_" }
        if let value = Double(digits), !value.isFinite { return "error parsing number \"\(text)\": value out of range" }
        return "bad number syntax: \"\(text)\""
    }

    /// Removes `_` that stand between two digits; nil when one stands elsewhere.
    private static func withoutSeparators(_ scalars: [Unicode.Scalar], isDigit: (Unicode.Scalar) -> Bool) -> String? {
        var result = String.UnicodeScalarView()
        for (offset, scalar) in scalars.enumerated() {
            if scalar == "_" {
                guard offset > 0, offset + 1 < scalars.count, isDigit(scalars[offset - 1]), isDigit(scalars[offset + 1]) else { return nil }
                continue
            }
            result.append(scalar)
        }
        return String(result)
    }

    /// 200 years in nanoseconds: the longest duration a query may name (as
    /// `QueryTime`), so that a time plus or minus it still fits in Int64
    /// for any time the node can store.
    static let maximumDuration: Int64 = 200 * 31_536_000_000_000_000

    /// Seconds written as a number (`1.5`, `90`, `1e3`, `0x10`) in
    /// nanoseconds, exact for plain decimals; nil when outside ±200 years
    /// (or not finite).
    static func nanoseconds(seconds text: String, limit: Int64 = maximumDuration) -> Int64? {
        let cleaned = String(text.filter { $0 != "_" })
        let plainDecimal = cleaned.unicodeScalars.allSatisfy { ($0 >= "0" && $0 <= "9") || $0 == "." } && !(cleaned.count > 1 && cleaned.hasPrefix("0") && !cleaned.contains("."))
        if plainDecimal {
            let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            let whole = parts[0].isEmpty ? 0 : Int64(parts[0])
            guard let whole else { return nil }
            var fraction: Int64 = 0
            var digits = 0
            if parts.count == 2 {
                for scalar in parts[1].unicodeScalars {
                    let digit = Int64(scalar.value - 48)
                    if digits < 9 {
                        fraction = fraction * 10 + digit
                    } else if digits == 9, digit >= 5 {
                        fraction += 1
                    }
                    digits += 1
                }
                if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
            }
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
            let (total, overflowAgain) = scaled.addingReportingOverflow(fraction)
            guard !overflow, !overflowAgain, total <= limit else { return nil }
            return total
        }
        guard let value = parse(text) else { return nil }
        return nanoseconds(fromSeconds: value, limit: limit)
    }

    /// `value` seconds in nanoseconds, rounded; nil when outside ±`limit`.
    static func nanoseconds(fromSeconds value: Double, limit: Int64 = maximumDuration) -> Int64? {
        let scaled = (value * 1e9).rounded()
        guard scaled.isFinite, abs(scaled) < Double(limit) else { return nil }
        return Int64(scaled)
    }
}
