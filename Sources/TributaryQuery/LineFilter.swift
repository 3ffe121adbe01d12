#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `|= "text"`, `!= "text"`, `|~ "regex"`, `!~ "regex"` on a log line.
public struct LineFilter: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable {
        case contains = "|="
        case notContains = "!="
        case matchesRegex = "|~"
        case notMatchesRegex = "!~"
    }

    public let op: Operator
    public let value: String
    let regex: CompiledRegex?
    private let needle: [UInt8]

    init(op: Operator, value: String, regex: CompiledRegex?) {
        self.op = op
        self.value = value
        self.regex = regex
        self.needle = Array(value.utf8)
    }

    /// The same test on a line's bytes: substring filters compare bytes
    /// (no String is made: this runs for every line a search reads); regex
    /// filters run over the bytes too (`PikeVM` reads UTF-8).
    public func matches(bytes: UnsafeRawBufferPointer, stop: (() -> Bool)? = nil) -> Bool {
        switch op {
        case .contains: return needle.isEmpty || Self.contains(bytes, needle)
        case .notContains: return needle.isEmpty ? false : !Self.contains(bytes, needle)
        case .matchesRegex: return regex!.matchesPart(bytes: bytes, stop: stop)
        case .notMatchesRegex: return !regex!.matchesPart(bytes: bytes, stop: stop)
        }
    }

    /// memchr for the first byte, memcmp for the rest.
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, var start = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { pattern -> Bool in
            let length = pattern.count
            var remaining = haystack.count
            while remaining >= length {
                guard let hit = memchr(start, Int32(pattern[0]), remaining - length + 1) else { return false }
                if memcmp(hit, pattern.baseAddress!, length) == 0 { return true }
                let skipped = start.distance(to: UnsafeRawPointer(hit)) + 1
                start += skipped
                remaining -= skipped
            }
            return false
        }
    }

    public func matches(_ line: String) -> Bool {
        switch op {
        case .contains: return value.isEmpty || line.contains(value)
        case .notContains: return value.isEmpty ? false : !line.contains(value)
        case .matchesRegex: return regex!.matchesPart(line)
        case .notMatchesRegex: return !regex!.matchesPart(line)
        }
    }

    /// Substrings a matching line must contain, for skipping blocks whose
    /// token filter rules them out.
    public var requiredSubstring: String? { op == .contains && !value.isEmpty ? value : nil }

    public var description: String { "\(op.rawValue) \(QueryTextFormat.quoted(value))" }
}
