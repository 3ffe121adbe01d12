/// Go's `time.ParseDuration`, which Loki applies to label values in
/// duration filters and `unwrap duration(…)`: `1.5s`, `250ms`, `1h30m`,
/// `-2us`, `0`; units ns, us (µs), ms, s, m, h. Overflowing values are errors.
enum GoDuration {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Nanoseconds.
    static func parse(_ text: String) throws(Failure) -> Int64 {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        if bytes.count - index == 1, bytes[index] == UInt8(ascii: "0") { return 0 }
        guard index < bytes.count else { throw Failure(description: "time: invalid duration \"\(text)\"") }
        var total: Double = 0
        while index < bytes.count {
            let numberStart = index
            while index < bytes.count, (bytes[index] >= 0x30 && bytes[index] <= 0x39) || bytes[index] == UInt8(ascii: ".") { index += 1 }
            let numberText = String(decoding: bytes[numberStart..<index], as: UTF8.self)
            guard !numberText.isEmpty, numberText != ".", let number = Double(numberText.hasPrefix(".") ? "0" + numberText : numberText.hasSuffix(".") ? numberText + "0" : numberText) else {
                throw Failure(description: "time: invalid duration \"\(text)\"")
            }
            let unitStart = index
            while index < bytes.count, !(bytes[index] >= 0x30 && bytes[index] <= 0x39), bytes[index] != UInt8(ascii: ".") { index += 1 }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            case "": throw Failure(description: "time: missing unit in duration \"\(text)\"")
            default: throw Failure(description: "time: unknown unit \"\(unit)\" in duration \"\(text)\"")
            }
            total += number * scale
        }
        guard total < 9.223372036854775e18 else { throw Failure(description: "time: invalid duration \"\(text)\"") }
        let nanoseconds = Int64(total.rounded(.towardZero))
        return negative ? -nanoseconds : nanoseconds
    }
}
