/// `|= "x"`, `!= "x"`, `|~ "re"`, `!~ "re"` after a stage that may have
/// rewritten the line (leading filters run before any label work, in
/// `LogPipeline.run`).
final class LineFilterStage: LogPipelineStage {
    let filter: LineFilter

    init(_ filter: LineFilter) {
        self.filter = filter
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { filter.matches(bytes: $0) }
    }
}
