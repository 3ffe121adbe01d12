/// OTLP metric names as Prometheus' OTLP receiver writes them (its
/// default, underscore escaping with suffixes): the name's words joined
/// by `_`, the unit added as a word (`s` → `seconds`, `By` → `bytes`,
/// `1` → `ratio` for gauges, `X/Y` → `x_per_y`; units in braces are
/// dropped), and `_total` for monotonic sums.
public enum OTLPMetricName {
    static let units: [String: String] = [
        "d": "days", "h": "hours", "min": "minutes", "s": "seconds", "ms": "milliseconds", "us": "microseconds",
        "ns": "nanoseconds", "By": "bytes", "KiBy": "kibibytes", "MiBy": "mebibytes", "GiBy": "gibibytes", "TiBy": "tebibytes",
        "KBy": "kilobytes", "MBy": "megabytes", "GBy": "gigabytes", "TBy": "terabytes", "m": "meters", "V": "volts",
        "A": "amperes", "J": "joules", "W": "watts", "g": "grams", "Cel": "celsius", "Hz": "hertz", "%": "percent",
    ]
    static let perUnits: [String: String] = [
        "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year",
    ]

    public static func name(_ name: String, unit: String, counter: Bool, gauge: Bool) -> String {
        var words = words(of: name)
        let parts = unit.split(separator: "/", maxSplits: 1).map(String.init)
        if let main = parts.first, !main.isEmpty, !main.contains("{") {
            if main == "1" {
                if gauge, words.last != "ratio" { words.append("ratio") }
            } else {
                let mapped = units[main] ?? main
                for word in Self.words(of: mapped) where !words.contains(word) { words.append(word) }
            }
        }
        if parts.count == 2, !parts[1].isEmpty, !parts[1].contains("{") {
            let per = perUnits[parts[1]] ?? parts[1]
            let perWords = ["per"] + Self.words(of: per)
            if !words.joined(separator: "_").hasSuffix(perWords.joined(separator: "_")) { words.append(contentsOf: perWords) }
        }
        if counter {
            words.removeAll { $0 == "total" }
            words.append("total")
        }
        var joined = words.joined(separator: "_")
        if let first = joined.unicodeScalars.first, ("0"..."9").contains(first) { joined = "_" + joined }
        return joined.isEmpty ? "_" : joined
    }

    /// The runs of `[A-Za-z0-9]` in `text` (any other character separates).
    static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A bucket bound or quantile as Prometheus writes `le` and `quantile`.
    public static func format(_ value: Double) -> String {
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
