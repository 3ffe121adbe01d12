import TributaryModel

/// `{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d"`:
/// the streams to read and the filters every line must pass, in order.
public struct LogQuery: Sendable, Equatable, CustomStringConvertible {
    public let selector: [LabelMatcher]
    /// The line filters before any other stage: what a search can test on
    /// raw bytes (and with chunk trigram filters) before parsing.
    public let filters: [LineFilter]
    /// The rest of the LogQL pipeline, from the first stage that is not a
    /// line filter (a parser, a label filter, a format…).
    public let stages: [LogStage]

    init(selector: [LabelMatcher], filters: [LineFilter], stages: [LogStage] = []) {
        self.selector = selector
        self.filters = filters
        self.stages = stages
    }

    /// The search for a LogQL log query: its leading line filters, then the rest.
    public init(_ expr: LogSelectorExpr) {
        var filters: [LineFilter] = []
        var rest = expr.stages[...]
        while case .lineFilter(let filter)? = rest.first {
            filters.append(filter)
            rest = rest.dropFirst()
        }
        self.init(selector: expr.matchers, filters: filters, stages: Array(rest))
    }

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
