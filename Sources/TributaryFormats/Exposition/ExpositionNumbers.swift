/// The numbers of an exposition: values as Go's `ParseFloat` reads them
/// (decimal, exponent, `NaN`, `Inf` with a sign, any case) and timestamps,
/// turned into nanoseconds with overflow checked.
enum ExpositionNumbers {
    static func float(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        let text = String(decoding: token, as: UTF8.self)
        // Plain numbers (almost every value) skip the comparisons below.
        let last = token[token.count - 1]
        if last >= UInt8(ascii: "0") && last <= UInt8(ascii: "9") || last == UInt8(ascii: ".") {
            return plain(token) ? Double(text) : nil
        }
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        return plain(token) ? Double(text) : nil
    }

    /// Only digits, `.`, `e`, `E`, `+` and `-` (no hex, no `nan(…)`).
    private static func plain(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        token.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
    }

    /// Integer milliseconds (the text format) as nanoseconds.
    static func milliseconds(_ token: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard token.count <= 24, let milliseconds = Int64(String(decoding: token, as: UTF8.self)) else { return nil }
        let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? nil : nanoseconds
    }

    /// Seconds, possibly fractional (OpenMetrics), as nanoseconds at
    /// millisecond precision (what Prometheus keeps).
    static func seconds(_ token: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let seconds = float(token), seconds.isFinite else { return nil }
        let milliseconds = (seconds * 1000).rounded()
        guard abs(milliseconds) < 9.2e15 else { return nil }
        let (nanoseconds, overflow) = Int64(milliseconds).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? nil : nanoseconds
    }
}
