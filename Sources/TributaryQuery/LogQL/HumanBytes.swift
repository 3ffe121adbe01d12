/// go-humanize's `ParseBytes`, which Loki applies in bytes filters and
/// `unwrap bytes(…)`: `42`, `1.5 KB` (1000), `2KiB` (1024), `3mb`, `1,024 B`.
enum HumanBytes {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "k": 1e3, "kb": 1e3, "ki": 1024, "kib": 1024,
        "m": 1e6, "mb": 1e6, "mi": 1_048_576, "mib": 1_048_576,
        "g": 1e9, "gb": 1e9, "gi": 1_073_741_824, "gib": 1_073_741_824,
        "t": 1e12, "tb": 1e12, "ti": 1_099_511_627_776, "tib": 1_099_511_627_776,
        "p": 1e15, "pb": 1e15, "pi": 1_125_899_906_842_624, "pib": 1_125_899_906_842_624,
        "e": 1e18, "eb": 1e18, "ei": 1_152_921_504_606_846_976, "eib": 1_152_921_504_606_846_976,
    ]

    static func parse(_ text: String) throws(Failure) -> Double {
        let scalars = Array(text.unicodeScalars)
        var end = 0
        var digits = ""
        while end < scalars.count, ("0"..."9").contains(scalars[end]) || scalars[end] == "." || scalars[end] == "," {
            if scalars[end] != "," { digits.unicodeScalars.append(scalars[end]) }
            end += 1
        }
        guard let number = Double(digits) else { throw Failure(description: "strconv.ParseFloat: parsing \"\(digits)\": invalid syntax") }
        let unit = String(String.UnicodeScalarView(scalars[end...])).trimmingSpaces().lowercased()
        guard let scale = units[unit] else { throw Failure(description: "unhandled size name: \(unit)") }
        let bytes = (number * scale).rounded(.towardZero)
        guard bytes < 18_446_744_073_709_551_616 else { throw Failure(description: "too large: \(text)") }
        return bytes
    }
}
