/// Turns StatsD names and tag keys into valid Prometheus names.
///
/// Each character outside the allowed set becomes one `_` (a multi-byte
/// character too). A leading digit is kept behind an added `_` rather than
/// replaced (`5xx` → `_5xx`, as statsd_exporter does), so names that differ
/// only there stay apart.
enum PrometheusName {
    /// `[A-Za-z_:][A-Za-z0-9_:]*`; an empty name becomes `_`.
    static func metric(_ name: String) -> String {
        sanitize(name, allowColon: true) ?? "_"
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`; nil for an empty name.
    static func label(_ name: String) -> String? {
        sanitize(name, allowColon: false)
    }

    private static func sanitize(_ name: String, allowColon: Bool) -> String? {
        guard let first = name.utf8.first else { return nil }
        // Fast path: already valid names come back without copying.
        if !isDigit(first), name.utf8.allSatisfy({ isAllowed($0, allowColon: allowColon) }) { return name }
        var out = ""
        out.reserveCapacity(name.utf8.count + 1)
        if isDigit(first) { out.append("_") }
        for scalar in name.unicodeScalars {
            if scalar.isASCII, isAllowed(UInt8(scalar.value), allowColon: allowColon) {
                out.unicodeScalars.append(scalar)
            } else {
                out.append("_")
            }
        }
        return out
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @inline(__always)
    private static func isAllowed(_ byte: UInt8, allowColon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"):
            return true
        case UInt8(ascii: ":"):
            return allowColon
        default:
            return false
        }
    }
}
