/// Sizes and durations written for people: `8MiB`, `2GiB`, `512KB`,
/// `30s`, `5m`, `1h`, `7d`, `250ms`.
public enum ConfigUnits {
    static let sizes: [(suffix: String, factor: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("B", 1),
    ]

    static let durations: [(suffix: String, milliseconds: Int)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Bytes, or nil if `text` is not a size.
    public static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int(trimmed), plain >= 0 { return plain }
        for (suffix, factor) in sizes where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let value = Double(number), value >= 0, value * Double(factor) < Double(Int.max) {
                return Int(value * Double(factor))
            }
        }
        return nil
    }

    /// A duration, or nil if `text` is not one.
    public static func duration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, milliseconds) in durations where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            // "5m" must not be read as "5" + "m" of "ms": check the longer suffix first.
            if suffix == "m", trimmed.hasSuffix("ms") { continue }
            if let value = Double(number), value >= 0 {
                return .milliseconds(Int64(value * Double(milliseconds)))
            }
        }
        return nil
    }

    /// `host:port`, `[v6]:port`; port 0 picks a free one.
    public static func hostPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else { return nil }
        return (String(host), number)
    }
}

import Foundation
