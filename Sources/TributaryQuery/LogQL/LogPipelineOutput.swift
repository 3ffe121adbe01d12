import TributaryModel

/// What a `LogPipeline` makes of a line that it keeps.
public struct LogPipelineOutput: Sendable, Equatable {
    /// The stream's labels as the pipeline left them: parsed labels added,
    /// dropped ones removed, `__error__`/`__error_details__` when a stage
    /// failed. The record's fields are not included.
    public var labels: Labels
    /// The new line when a stage rewrote it (`line_format`, `decolorize`,
    /// `unpack`); nil when the line is the one given.
    public var rewrittenLine: [UInt8]?

    public init(labels: Labels, rewrittenLine: [UInt8]?) {
        self.labels = labels
        self.rewrittenLine = rewrittenLine
    }
}
