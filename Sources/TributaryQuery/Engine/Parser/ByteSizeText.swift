/// LogQL byte sizes as `humanize.ParseBytes` reads them: a decimal number
/// and a unit, SI (`kB` = 1000) or IEC (`KiB` = 1024), case-insensitive
/// (`20MB`, `1KiB`, `3.5kB`, `512B`, `1Gi`).
enum ByteSizeText {
    private static let units: [String: Double] = {
        var units: [String: Double] = ["b": 1, "": 1]
        for (index, prefix) in ["k", "m", "g", "t", "p", "e"].enumerated() {
            let si = pow(1000, index + 1)
            let iec = pow(1024, index + 1)
            units[prefix] = si
            units[prefix + "b"] = si
            units[prefix + "i"] = iec
            units[prefix + "ib"] = iec
        }
        return units
    }()

    private static func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= base }
        return result
    }

    /// The size in bytes, or nil when `text` is not a size.
    static func parse(_ text: String) -> Double? {
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = text.dropFirst(number.count).lowercased()
        guard !number.isEmpty, let factor = units[unit], let value = Double(number), value.isFinite else { return nil }
        let bytes = value * factor
        return bytes.isFinite ? bytes : nil
    }

    /// `20000000B`: the exact value with the unit every reader knows.
    static func text(_ bytes: Double) -> String {
        QueryTextFormat.number(bytes) + "B"
    }
}
