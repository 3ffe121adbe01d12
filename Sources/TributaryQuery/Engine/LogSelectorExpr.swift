/// LogQL `{stream selector} stage stage …`: the streams to read and the
/// pipeline every line goes through, in order.
public struct LogSelectorExpr: Sendable, Equatable {
    /// Never empty, and at least one matcher does not match "" (as Loki).
    public var matchers: [LabelMatcher]
    public var stages: [LogStage]

    public init(matchers: [LabelMatcher], stages: [LogStage] = []) {
        self.matchers = matchers
        self.stages = stages
    }
}
