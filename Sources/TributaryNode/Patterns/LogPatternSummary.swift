import TributaryModel

/// One pattern as the query surfaces show it.
public struct LogPatternSummary: Sendable, Equatable {
    public var id: UInt64
    public var group: Labels
    public var pattern: String
    /// Earliest line seen, ns.
    public var firstSeen: Int64
    /// Lines in the window.
    public var lines: Int
    /// (step start ns, lines) for each step of the window with lines.
    public var samples: [(Int64, Int)]

    public static func == (left: Self, right: Self) -> Bool {
        left.id == right.id && left.group == right.group && left.pattern == right.pattern && left.lines == right.lines
            && left.firstSeen == right.firstSeen && left.samples.map(\.0) == right.samples.map(\.0)
            && left.samples.map(\.1) == right.samples.map(\.1)
    }
}
