import TributaryModel

/// `{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d"`:
/// the streams to read and the filters every line must pass, in order.
public struct LogQuery: Sendable, Equatable, CustomStringConvertible {
    public let selector: [LabelMatcher]
    public let filters: [LineFilter]

    public func matches(labels: Labels) -> Bool {
        selector.allSatisfy { $0.matches(labels) }
    }

    public func matches(line: String) -> Bool {
        filters.allSatisfy { $0.matches(line) }
    }

    /// `matches(line:)` on raw bytes, without making a String unless a
    /// regex filter needs one.
    public func matches(bytes: UnsafeRawBufferPointer) -> Bool {
        filters.allSatisfy { $0.matches(bytes: bytes) }
    }

    public var description: String {
        "{" + selector.map(\.description).joined(separator: ", ") + "}" + filters.map { " " + $0.description }.joined()
    }
}
