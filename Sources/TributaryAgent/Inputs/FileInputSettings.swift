/// A `type: file` (or `type: docker`) input.
public struct FileInputSettings: Sendable {
    public enum StartAt: String, Sendable {
        /// Files found when the agent first runs are read from their start.
        case beginning
        /// …or only from what is written after.
        case end
    }

    public enum Format: Sendable {
        /// One record per line.
        case lines
        /// Docker's json-file driver: the `log` text, with `stream` and the
        /// container id as labels.
        case docker
    }

    public var paths: [String]
    public var exclude: [String] = []
    public var startAt = StartAt.beginning
    public var format = Format.lines
    /// Longer lines are delivered in parts of this size, each with a
    /// `part` field (1, 2, …) — never dropped.
    public var maxLineBytes = 256 << 10
    public var multiline: MultilineSettings?
    /// How often new files are looked for.
    public var scanInterval: Duration = .seconds(1)
    /// How often open files are checked for new data when idle.
    public var pollInterval: Duration = .milliseconds(250)
    /// A rotated or deleted file is read to its end and closed once it has
    /// not grown for this long.
    public var rotateWait: Duration = .seconds(5)

    public init(paths: [String]) {
        self.paths = paths
    }
}

/// Joins lines into one record: a line matching `start` begins a record,
/// other lines continue it (stack traces).
public struct MultilineSettings: Sendable {
    public var start: LineRegex
    /// A record with no new line for this long is complete.
    public var timeout: Duration = .seconds(1)
    public var maxLines = 500
    public var maxBytes = 1 << 20

    public init(start: LineRegex) {
        self.start = start
    }
}
