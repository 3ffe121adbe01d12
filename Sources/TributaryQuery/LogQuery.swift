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

    /// `matches(line:)` on raw bytes, without making a String. `stop` is
    /// asked during regex matching of long lines; once it says yes the
    /// answer is meaningless and the caller must stop.
    public func matches(bytes: UnsafeRawBufferPointer, stop: (() -> Bool)? = nil) -> Bool {
        filters.allSatisfy { $0.matches(bytes: bytes, stop: stop) }
    }

    public var description: String {
        "{" + selector.map(\.description).joined(separator: ", ") + "}" + filters.map { " " + $0.description }.joined()
    }
}
