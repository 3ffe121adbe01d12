import Foundation
/// One StatsD line: `name:value|type[|@rate][|#tag:value,…]`.
public struct StatsDMetric: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case counter
        /// `delta`: the value had a sign (`+3`, `-2`) and adjusts the gauge.
        case gauge(delta: Bool)
        /// `ms` and `h`.
        case timer
        case set
    }

    public var name: String
    public var value: Double
    public var kind: Kind
    public var sampleRate: Double
    public var tags: [KeyValue]
    /// For sets: the member as written.
    public var setMember: String?

    public init(name: String, value: Double, kind: Kind, sampleRate: Double = 1, tags: [KeyValue] = [], setMember: String? = nil) {
        self.name = name
        self.value = value
        self.kind = kind
        self.sampleRate = sampleRate
        self.tags = tags
        self.setMember = setMember
    }
}

/// Parses StatsD packets (several lines separated by newlines).
public enum StatsDParser {
    public static func parse(_ packet: UnsafeRawBufferPointer) -> (metrics: [StatsDMetric], malformed: Int) {
        parse(String(decoding: packet, as: UTF8.self))
    }

    public static func parse(_ text: String) -> (metrics: [StatsDMetric], malformed: Int) {
        var metrics: [StatsDMetric] = []
        var malformed = 0
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if let metric = parseLine(line) { metrics.append(metric) } else { malformed += 1 }
        }
        return (metrics, malformed)
    }

    static func parseLine(_ line: Substring) -> StatsDMetric? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        let sections = line[line.index(after: colon)...].split(separator: "|", omittingEmptySubsequences: false)
        guard sections.count >= 2 else { return nil }
        let valueText = sections[0].trimmingCharacters(in: .whitespaces)
        var rate = 1.0
        var tags: [KeyValue] = []
        for extra in sections.dropFirst(2) {
            if extra.hasPrefix("@") {
                guard let parsed = Double(extra.dropFirst()), parsed > 0, parsed <= 1 else { return nil }
                rate = parsed
            } else if extra.hasPrefix("#") {
                for tag in extra.dropFirst().split(separator: ",") {
                    let parts = tag.split(separator: ":", maxSplits: 1)
                    tags.append(KeyValue(String(parts[0]), parts.count > 1 ? String(parts[1]) : ""))
                }
            } else if !extra.isEmpty && !extra.hasPrefix("c:") && !extra.hasPrefix("T") {
                return nil
            }
        }
        switch sections[1].trimmingCharacters(in: .whitespaces) {
        case "c":
            guard let value = Double(valueText), value.isFinite else { return nil }
            return StatsDMetric(name: name, value: value, kind: .counter, sampleRate: rate, tags: tags)
        case "g":
            guard let value = Double(valueText), value.isFinite else { return nil }
            let delta = valueText.hasPrefix("+") || valueText.hasPrefix("-")
            return StatsDMetric(name: name, value: value, kind: .gauge(delta: delta), sampleRate: rate, tags: tags)
        case "ms", "h", "d":
            guard let value = Double(valueText), value.isFinite else { return nil }
            return StatsDMetric(name: name, value: value, kind: .timer, sampleRate: rate, tags: tags)
        case "s":
            guard !valueText.isEmpty else { return nil }
            return StatsDMetric(name: name, value: 1, kind: .set, sampleRate: rate, tags: tags, setMember: valueText)
        default:
            return nil
        }
    }
}
