/// The numbers of an exposition: values as Go's `ParseFloat` reads them
/// (decimal, exponent, `NaN`, `Inf` with a sign, any case) and timestamps,
/// turned into nanoseconds with overflow checked.
enum ExpositionNumbers {
    static func float(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        let text = String(decoding: token, as: UTF8.self)
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        let allowed = token.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
        guard allowed else { return nil }
        return Double(text)
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
